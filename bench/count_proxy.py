#!/usr/bin/env python3
"""A loopback TCP proxy that counts the bytes each way, for measuring what
sync puts on the wire: count_proxy.py LISTEN_PORT TARGET_PORT COUNTS_FILE.
Writes "<to relay> <from relay>" to COUNTS_FILE after every connection."""
import asyncio
import sys

listen, target, counts_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
totals = [0, 0]


async def pipe(reader, writer, slot):
    try:
        while data := await reader.read(1 << 16):
            totals[slot] += len(data)
            writer.write(data)
            await writer.drain()
    finally:
        writer.close()


async def handle(client_r, client_w):
    relay_r, relay_w = await asyncio.open_connection("127.0.0.1", target)
    await asyncio.gather(pipe(client_r, relay_w, 0), pipe(relay_r, client_w, 1), return_exceptions=True)
    with open(counts_path, "w") as f:
        f.write(f"{totals[0]} {totals[1]}\n")


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", listen)
    async with server:
        await server.serve_forever()


asyncio.run(main())
