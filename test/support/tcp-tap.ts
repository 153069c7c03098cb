/**
 * A TCP forwarder on 127.0.0.1 that records who connected (the peer address) and what the client sent, for tests
 * that must show where traffic came from: in front of a server it tells proxied connections (from the proxy's
 * outgoing address) from direct ones; in front of a proxy it shows what the proxy itself was told (CONNECT lines).
 */
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net'

export interface TappedConnection {
  peer: string
  /** What the client sent, first 1 MiB. */
  sent: Buffer
}

export interface TcpTap {
  host: string
  port: number
  connections: TappedConnection[]
  /** Every HTTP/1.1 request head (request line + headers) clients sent, in order. */
  requestHeads(): string[]
  close(): Promise<void>
}

const CAP = 1 << 20

export async function startTcpTap(target: { host: string; port: number }): Promise<TcpTap> {
  const connections: TappedConnection[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const record: TappedConnection = { peer: client.remoteAddress ?? '', sent: Buffer.alloc(0) }
    connections.push(record)
    const upstream = connect(target.port, target.host)
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
    }
    client.on('data', (chunk: Buffer) => {
      if (record.sent.length < CAP) record.sent = Buffer.concat([record.sent, chunk])
    })
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    host: `127.0.0.1:${port}`,
    port,
    connections,
    requestHeads: () => requestHeads(connections),
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/** Every HTTP/1.1 request head (request line + headers) the clients of `connections` sent, in order. */
export function requestHeads(connections: TappedConnection[]): string[] {
  return connections.flatMap((c) => {
    const text = c.sent.toString('latin1')
    const heads: string[] = []
    // Not anchored to a line start: on a keep-alive connection a request follows the previous body directly.
    const re = /((?:GET|HEAD|POST|PUT|PATCH|DELETE|CONNECT) \S+ HTTP\/1\.1\r\n[\s\S]*?\r\n)\r\n/g
    let m: RegExpExecArray | null
    while ((m = re.exec(text)) !== null) heads.push(m[1]!)
    return heads
  })
}
