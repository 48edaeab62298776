// TensorFlow's GraphDef version checks (core/public/version.h, core/framework/versions.cc): the
// producer/min_consumer/bad_consumers a graph declares against the versions tfgate behaves as.

import type { VersionDef } from "../../../gen/tensorflow/core/framework/versions_pb.js";
import { invalidArgument } from "../framework/errors.js";

/** The TensorFlow release tfgate's semantics follow. */
export const TF_VERSION_STRING = "2.21.0";
/** TF_GRAPH_DEF_VERSION of TensorFlow 2.21 (observed from a real 2.21 server's error text). */
export const TF_GRAPH_DEF_VERSION = 2474;
export const TF_GRAPH_DEF_VERSION_MIN_PRODUCER = 0;

/** TF's CheckVersions for a GraphDef's VersionDef (absent = producer 0, accepted). */
export function checkGraphDefVersions(versions: VersionDef | undefined): void {
  if (versions === undefined) return;
  if (versions.producer < TF_GRAPH_DEF_VERSION_MIN_PRODUCER) {
    throw invalidArgument(
      `GraphDef producer version ${versions.producer} below min producer ${TF_GRAPH_DEF_VERSION_MIN_PRODUCER} supported by TensorFlow ${TF_VERSION_STRING}.  Please regenerate your graph.`,
    );
  }
  if (versions.minConsumer > TF_GRAPH_DEF_VERSION) {
    throw invalidArgument(
      `GraphDef min consumer version ${versions.minConsumer} above current version ${TF_GRAPH_DEF_VERSION} for TensorFlow ${TF_VERSION_STRING}.  Please upgrade TensorFlow.`,
    );
  }
  for (const bad of versions.badConsumers) {
    if (bad === TF_GRAPH_DEF_VERSION) {
      throw invalidArgument(
        `GraphDef disallows consumer version ${TF_GRAPH_DEF_VERSION}.  Please upgrade TensorFlow: this version is likely buggy.`,
      );
    }
  }
}
