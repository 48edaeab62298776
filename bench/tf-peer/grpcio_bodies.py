"""Sends large unary gRPC bodies with grpcio (the transport under TensorFlow's own client).

    python bench/tf-peer/grpcio_bodies.py PORT COUNT BYTES

COUNT calls of BYTES each to /bench.Bodies/Send on 127.0.0.1:PORT, one at a time; the answer is
ignored. bench/frame-size.ts counts on the server side how the bodies arrive.
"""

import sys

import grpc


def main():
    port, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    channel = grpc.insecure_channel("127.0.0.1:" + port)
    send = channel.unary_unary("/bench.Bodies/Send", request_serializer=None, response_deserializer=None)
    body = b"\1" * size
    for _ in range(count):
        send(body, timeout=30)
    channel.close()


if __name__ == "__main__":
    main()
