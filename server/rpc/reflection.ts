// gRPC server reflection (grpc.reflection.v1 and its older twin v1alpha), so `buf curl`, grpcurl,
// Postman and friends discover both MasterService names and their schemas without .proto files.
//
// Answers come from the descriptors compiled into gen/ (@bufbuild/protobuf reflection), starting at
// the served services and following imports. File answers carry the requested file plus the files it
// imports, transitively, as serialized FileDescriptorProtos; like grpc-go, files already sent on the
// same stream are left out (the requested one is always sent). A failed query gets an ErrorResponse
// and the stream stays open.

import { create, createRegistry, type DescFile, type DescService, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { Code } from "@connectrpc/connect";
import {
  type ServerReflectionRequest as RequestV1,
  ServerReflectionResponseSchema as ResponseV1Schema,
  type ServerReflection as ServerReflectionV1,
} from "../../gen/grpc/reflection/v1/reflection_pb.js";
import {
  type ServerReflectionRequest as RequestV1alpha,
  ServerReflectionResponseSchema as ResponseV1alphaSchema,
  type ServerReflection as ServerReflectionV1alpha,
} from "../../gen/grpc/reflection/v1alpha/reflection_pb.js";

/** A reflection query, as both protocol versions spell it (their `message_request` oneof). */
export type ReflectionQuery =
  | { case: "fileByFilename"; value: string }
  | { case: "fileContainingSymbol"; value: string }
  | { case: "fileContainingExtension"; value: { containingType: string; extensionNumber: number } }
  | { case: "allExtensionNumbersOfType"; value: string }
  | { case: "listServices"; value: string }
  | { case: undefined; value?: undefined };

/** An answer, as both protocol versions spell it (their `message_response` oneof). */
export type ReflectionAnswer =
  | { case: "fileDescriptorResponse"; value: { fileDescriptorProto: Uint8Array[] } }
  | { case: "allExtensionNumbersResponse"; value: { baseTypeName: string; extensionNumber: number[] } }
  | { case: "listServicesResponse"; value: { service: { name: string }[] } }
  | { case: "errorResponse"; value: { errorCode: number; errorMessage: string } };

/** Answers reflection queries about a fixed set of services. Immutable; safe to share between streams. */
export interface ReflectionIndex {
  /**
   * Answers one query. `sent` holds the names of files already sent on this stream; the answer's
   * files are added to it.
   */
  answer(query: ReflectionQuery, sent: Set<string>): ReflectionAnswer;
}

/** Indexes `services` and every file they reach through imports. */
export function createReflectionIndex(services: readonly DescService[]): ReflectionIndex {
  const files = new Map<string, DescFile>();
  const addFile = (file: DescFile): void => {
    if (files.has(file.proto.name)) return;
    files.set(file.proto.name, file);
    for (const dependency of file.dependencies) addFile(dependency);
  };
  for (const service of services) addFile(service.file);
  const registry = createRegistry(...files.values());
  const serviceNames = services.map((service) => service.typeName);
  const serialized = new Map<string, Uint8Array>();
  const bytesOf = (file: DescFile): Uint8Array => {
    let bytes = serialized.get(file.proto.name);
    if (bytes === undefined) {
      bytes = toBinary(FileDescriptorProtoSchema, file.proto);
      serialized.set(file.proto.name, bytes);
    }
    return bytes;
  };

  /** The requested file first, then its imports (depth first), skipping files already sent. */
  const fileAnswer = (file: DescFile, sent: Set<string>): ReflectionAnswer => {
    const out: Uint8Array[] = [bytesOf(file)];
    sent.add(file.proto.name);
    const visit = (dependency: DescFile): void => {
      if (sent.has(dependency.proto.name)) return;
      sent.add(dependency.proto.name);
      out.push(bytesOf(dependency));
      for (const next of dependency.dependencies) visit(next);
    };
    for (const dependency of file.dependencies) visit(dependency);
    return { case: "fileDescriptorResponse", value: { fileDescriptorProto: out } };
  };

  const fileDeclaring = (symbol: string): DescFile | undefined => {
    const type = registry.get(symbol);
    if (type !== undefined) return type.file;
    // package.Service.Method: the file of the service, if it has that method.
    const dot = symbol.lastIndexOf(".");
    const service = dot > 0 ? registry.getService(symbol.slice(0, dot)) : undefined;
    const methodName = symbol.slice(dot + 1);
    return service?.methods.some((method) => method.name === methodName) ? service.file : undefined;
  };

  const notFound = (message: string): ReflectionAnswer => ({
    case: "errorResponse",
    value: { errorCode: Code.NotFound, errorMessage: message },
  });

  return {
    answer(query, sent) {
      switch (query.case) {
        case "listServices":
          return {
            case: "listServicesResponse",
            value: { service: serviceNames.map((name) => ({ name })) },
          };
        case "fileByFilename": {
          const file = files.get(query.value);
          return file === undefined ? notFound(`file "${query.value}" not found`) : fileAnswer(file, sent);
        }
        case "fileContainingSymbol": {
          const file = fileDeclaring(query.value);
          return file === undefined ? notFound(`symbol "${query.value}" not found`) : fileAnswer(file, sent);
        }
        case "fileContainingExtension": {
          const { containingType, extensionNumber } = query.value;
          const message = registry.getMessage(containingType);
          const extension =
            message === undefined ? undefined : registry.getExtensionFor(message, extensionNumber);
          return extension === undefined
            ? notFound(`extension ${extensionNumber} of "${containingType}" not found`)
            : fileAnswer(extension.file, sent);
        }
        case "allExtensionNumbersOfType": {
          const message = registry.getMessage(query.value);
          if (message === undefined) return notFound(`message type "${query.value}" not found`);
          const numbers: number[] = [];
          for (const type of registry) {
            if (type.kind === "extension" && type.extendee.typeName === message.typeName)
              numbers.push(type.number);
          }
          return {
            case: "allExtensionNumbersResponse",
            value: { baseTypeName: message.typeName, extensionNumber: numbers.sort((a, b) => a - b) },
          };
        }
        case undefined:
          return {
            case: "errorResponse",
            value: {
              errorCode: Code.InvalidArgument,
              errorMessage: "the request sets no query (message_request)",
            },
          };
      }
    },
  };
}

/** Both reflection services over one index. */
export interface ReflectionServices {
  readonly v1: ServiceImpl<typeof ServerReflectionV1>;
  readonly v1alpha: ServiceImpl<typeof ServerReflectionV1alpha>;
}

/** Implementations of grpc.reflection.v1 and v1alpha ServerReflection describing `services`. */
export function createReflectionServices(services: readonly DescService[]): ReflectionServices {
  const index = createReflectionIndex(services);
  return {
    v1: {
      async *serverReflectionInfo(requests: AsyncIterable<RequestV1>, context: HandlerContext) {
        const sent = new Set<string>();
        for await (const request of requests) {
          if (context.signal.aborted) return;
          yield create(ResponseV1Schema, {
            validHost: request.host,
            originalRequest: request,
            messageResponse: index.answer(request.messageRequest, sent),
          });
        }
      },
    },
    v1alpha: {
      async *serverReflectionInfo(requests: AsyncIterable<RequestV1alpha>, context: HandlerContext) {
        const sent = new Set<string>();
        for await (const request of requests) {
          if (context.signal.aborted) return;
          yield create(ResponseV1alphaSchema, {
            validHost: request.host,
            originalRequest: request,
            messageResponse: index.answer(request.messageRequest, sent),
          });
        }
      },
    },
  };
}
