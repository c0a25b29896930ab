import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';

/** A private Dovecot IMAP server with one mailbox user, for tests that need a real IMAP peer. */
export interface TestImap {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Stores a raw RFC 5322 message and returns its UID in that folder. */
  append(raw: string | Buffer, folder?: string): Promise<number>;
  /** How many messages the folder holds. */
  count(folder?: string): Promise<number>;
  stop(): Promise<void>;
}

const DOVECOT_BIN = '/usr/sbin/dovecot';
const HOST = '127.0.0.1';
const USER = 'desk';
const START_TIMEOUT_MS = 10_000;
const BIND_ATTEMPTS = 5;

/** Servers not stopped yet; killed when the worker exits so no dovecot outlives a crashed test file. */
const running = new Map<ChildProcess, string>();
process.on('exit', () => {
  for (const [child, dir] of running) {
    child.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
});

/**
 * Starts a throw-away Dovecot on a free port of 127.0.0.1, with its config, sockets, logs and maildirs
 * in a fresh temp dir. Resolves to undefined when Dovecot is not installed (throws instead on CI).
 */
/** The IMAP tests always run: without Dovecot they fail with how to install it (.ci/run does). */
export async function startDovecot(): Promise<TestImap> {
  if (!fs.existsSync(DOVECOT_BIN))
    throw new Error(`${DOVECOT_BIN} not found: apt-get install -y dovecot-imapd (the IMAP tests need it)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskline-imap-'));
  try {
    const password = crypto.randomBytes(12).toString('hex');
    const account = serviceAccount();
    prepareDir(dir, account, password);
    // Another worker may take the port between freePort() and dovecot's bind: then try another one.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const child = await launch(dir, port, account);
      if (child) return handle(child, dir, port, password);
      if (attempt === BIND_ATTEMPTS)
        throw new Error(`dovecot found no free port in ${BIND_ATTEMPTS} attempts`);
    }
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Who dovecot's own processes (login, then auth and mail) run as. */
interface Account {
  login: string;
  user: string;
  group: string;
  uid: number;
  gid: number;
}

/**
 * As root, dovecot drops privileges to the Debian package's users (it refuses to touch mail as root).
 * As anyone else it cannot switch users, so every process runs as the current user.
 */
function serviceAccount(): Account {
  const id = (...args: string[]) => execFileSync('id', args, { encoding: 'utf8' }).trim();
  if (process.getuid?.() === 0) {
    return {
      login: 'dovenull',
      user: 'dovecot',
      group: 'dovecot',
      uid: Number(id('-u', 'dovecot')),
      gid: Number(id('-g', 'dovecot')),
    };
  }
  const me = os.userInfo();
  return { login: me.username, user: me.username, group: id('-gn'), uid: me.uid, gid: me.gid };
}

/** Writes the passwd file and the mail root, readable and writable by the account dovecot uses. */
function prepareDir(dir: string, account: Account, password: string): void {
  // mkdtemp makes the dir 0700; dovecot's unprivileged processes must reach their sockets and mail in it.
  fs.chmodSync(dir, 0o755);
  const mail = path.join(dir, 'mail');
  fs.mkdirSync(mail);
  fs.chownSync(mail, account.uid, account.gid);
  // name:password:uid:gid:gecos:home:shell:extra
  const passwd = path.join(dir, 'passwd');
  fs.writeFileSync(passwd, `${USER}:{PLAIN}${password}:${account.uid}:${account.gid}::${mail}/${USER}::\n`, {
    mode: 0o600,
  });
  fs.chownSync(passwd, account.uid, account.gid);
}

function config(dir: string, port: number, account: Account, greeting: string): string {
  return `# Throw-away Deskline test server; see test/support/dovecot.ts
protocols = imap
listen = ${HOST}
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# Tests check refused logins; the default 2 s penalty would only slow them down.
auth_failure_delay = 0
# Lets startDovecot recognise its own server rather than one another worker started on the same port.
login_greeting = ${greeting}
default_login_user = ${account.login}
default_internal_user = ${account.user}
default_internal_group = ${account.group}
# The default minimum (500) rejects system users such as dovecot.
first_valid_uid = ${account.uid}
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = ${dir}/passwd
}
namespace inbox {
  inbox = yes
  # The app may move imported mail here.
  mailbox Archive {
    auto = create
    special_use = \\Archive
  }
}
service imap-login {
  inet_listener imap {
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
  # Chroot needs root; without it (here and below) the same config also runs as an ordinary user.
  chroot =
}
service anvil {
  chroot =
}
service ipc {
  chroot =
}
`;
}

/** A port nobody listens on right now (the kernel picks it; it may be taken again before dovecot binds). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, HOST);
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

/**
 * Runs dovecot on the port and waits for its greeting. Resolves to undefined when the port was taken,
 * throws (with dovecot's log) on any other failure.
 */
async function launch(dir: string, port: number, account: Account): Promise<ChildProcess | undefined> {
  const greeting = `Deskline test IMAP ${crypto.randomBytes(6).toString('hex')} ready.`;
  const conf = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(conf, config(dir, port, account, greeting));
  const log = path.join(dir, 'dovecot.log');
  fs.rmSync(log, { force: true });

  const child = spawn(DOVECOT_BIN, ['-F', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.set(child, dir);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let spawnError: Error | undefined;
  child.on('error', (err) => (spawnError = err));
  // 'close' rather than 'exit': by then its last words on stderr have been read too.
  let closed = false;
  child.on('close', () => (closed = true));

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (spawnError || closed) {
      running.delete(child);
      const details = `${output}${readLog(log)}`;
      if (details.includes('Address already in use')) return undefined;
      throw new Error(
        `dovecot exited (${spawnError?.message ?? child.exitCode ?? child.signalCode}):\n${details}`,
      );
    }
    if ((await greetingLine(port)).endsWith(greeting)) return child;
    if (Date.now() > deadline) {
      await terminate(child);
      running.delete(child);
      throw new Error(
        `dovecot did not greet on ${HOST}:${port} within ${START_TIMEOUT_MS} ms:\n${readLog(log)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function readLog(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '(no log)';
  }
}

/** The first line the port sends, or '' when nothing answers within a second. */
function greetingLine(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, HOST);
    let received = '';
    const done = (line: string) => {
      socket.destroy();
      resolve(line);
    };
    socket.setTimeout(1000, () => done(''));
    socket.on('error', () => done(''));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      const end = received.indexOf('\r\n');
      if (end >= 0) done(received.slice(0, end));
    });
  });
}

/** SIGTERM lets dovecot stop its own children; SIGKILL after 3 s in case it hangs. */
async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

function handle(child: ChildProcess, dir: string, port: number, password: string): TestImap {
  const session = async <T>(work: (client: ImapFlow) => Promise<T>): Promise<T> => {
    const client = new ImapFlow({
      host: HOST,
      port,
      secure: false,
      auth: { user: USER, pass: password },
      logger: false,
    });
    // Failures reach us as rejected commands; an 'error' event without a listener would crash the worker.
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  };
  let stopping: Promise<void> | undefined;

  return {
    host: HOST,
    port,
    user: USER,
    password,
    append: (raw, folder = 'INBOX') =>
      session(async (client) => {
        const result = await client.append(folder, raw);
        if (!result || result.uid === undefined)
          throw new Error(`dovecot returned no UID for the append to ${folder}`);
        return result.uid;
      }),
    count: (folder = 'INBOX') =>
      session(async (client) => {
        const status = await client.status(folder, { messages: true });
        if (!status || status.messages === undefined)
          throw new Error(`dovecot returned no STATUS for ${folder}`);
        return status.messages;
      }),
    stop: () => {
      stopping ??= (async () => {
        await terminate(child);
        running.delete(child);
        // Mail processes may still be finishing their writes as the master exits.
        fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
      })();
      return stopping;
    },
  };
}
