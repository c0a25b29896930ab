import net from 'node:net';

/**
 * A TCP proxy in front of a real server (PostgreSQL), for fault tests: it can
 * refuse connections (closed: nothing listens), pass them through (open), or
 * accept and never answer (hung: a stopped server or a dead network). Closing
 * or hanging also cuts or freezes the connections already made.
 */
export class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private mode: 'open' | 'hung' = 'open';

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  /** Passes connections through (listening first if closed). */
  async open(): Promise<void> {
    this.mode = 'open';
    for (const s of this.sockets) s.destroy(); // frozen ones would never recover
    await this.listen();
  }

  /** Accepts connections and never answers; connections already made stop moving. */
  async hang(): Promise<void> {
    this.mode = 'hung';
    for (const s of this.sockets) {
      s.unpipe();
      s.pause();
    }
    await this.listen();
  }

  /** Refuses connections and resets the ones already made. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async listen(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((client) => this.accept(client));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  private accept(client: net.Socket): void {
    this.track(client);
    if (this.mode === 'hung') return; // keep it open, say nothing
    const upstream = net.connect(this.target.port, this.target.host);
    this.track(upstream);
    client.pipe(upstream).pipe(client);
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', cut).on('close', cut);
    upstream.on('error', cut).on('close', cut);
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
  }
}
