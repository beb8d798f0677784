// systemd service notifications (sd_notify(3)): READY=1, STOPPING=1, STATUS= and the WATCHDOG=1 keep-alive.
// Node has no AF_UNIX datagram sockets, so one long-lived perl child (perl-base is Essential on Debian and Raspberry
// Pi OS) owns the connected socket and forwards each NUL-terminated message; the unit sets NotifyAccess=all for it.
// SPDX-License-Identifier: Apache-2.0
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Logger } from 'pino';

/** Connects a SOCK_DGRAM socket to argv[0] ('@' = abstract namespace) and sends one datagram per NUL-ended record. */
const FORWARDER = [
  'use strict; use Socket;',
  'my $p = shift; $p =~ s/^@/\\0/;',
  'socket(my $s, AF_UNIX, SOCK_DGRAM, 0) or die "socket: $!\\n";',
  'connect($s, pack_sockaddr_un($p)) or die "connect $ARGV[0]: $!\\n";',
  '$/ = "\\0";',
  'while (my $m = <STDIN>) { chomp $m; next unless length $m; defined send($s, $m, 0) or warn "send: $!\\n"; }',
].join('\n');

/** Environment variables systemd sets for a Type=notify service with a watchdog. */
export interface NotifyEnv {
  readonly NOTIFY_SOCKET?: string | undefined;
  readonly WATCHDOG_USEC?: string | undefined;
  readonly WATCHDOG_PID?: string | undefined;
}

/** The watchdog ping interval for WATCHDOG_USEC/WATCHDOG_PID: half the timeout (sd_watchdog_enabled(3)), or undefined. */
export function watchdogIntervalMs(env: NotifyEnv, pid: number): number | undefined {
  const usec = env.WATCHDOG_USEC === undefined ? NaN : Number(env.WATCHDOG_USEC);
  if (!Number.isSafeInteger(usec) || usec <= 0) return undefined;
  if (env.WATCHDOG_PID !== undefined && env.WATCHDOG_PID !== '' && Number(env.WATCHDOG_PID) !== pid) return undefined;
  return Math.max(1, Math.floor(usec / 2000));
}

/** Sends service state to systemd through the forwarder; every method is a no-op after close(). */
export class SystemdNotifier {
  readonly #child: ChildProcess;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #dead = false;

  private constructor(child: ChildProcess) {
    this.#child = child;
  }

  /**
   * A notifier when the process runs under systemd with NOTIFY_SOCKET set, else undefined. Removes the NOTIFY_SOCKET
   * and WATCHDOG_* variables from `env` so that children do not inherit them (sd_notify's unset_environment).
   */
  static fromEnv(env: NodeJS.ProcessEnv, log: Logger, perl = 'perl'): SystemdNotifier | undefined {
    const socketPath = env['NOTIFY_SOCKET'];
    const interval = watchdogIntervalMs(env, process.pid);
    delete env['NOTIFY_SOCKET'];
    delete env['WATCHDOG_USEC'];
    delete env['WATCHDOG_PID'];
    if (socketPath === undefined || socketPath === '') return undefined;
    if (!socketPath.startsWith('/') && !socketPath.startsWith('@')) {
      log.warn({ socketPath }, 'NOTIFY_SOCKET is not a unix socket path; systemd notifications off');
      return undefined;
    }
    const child = spawn(perl, ['-e', FORWARDER, socketPath], { stdio: ['pipe', 'ignore', 'inherit'] });
    const notifier = new SystemdNotifier(child);
    child.on('error', (err) => {
      notifier.#dead = true;
      notifier.#stopTimer();
      log.error({ err }, 'systemd notification forwarder failed to start');
    });
    child.on('exit', (code, signal) => {
      notifier.#dead = true;
      if (!notifier.#closed) log.error({ code, signal }, 'systemd notification forwarder exited; the watchdog will restart the service');
      notifier.#stopTimer();
    });
    child.stdin?.on('error', (err) => log.warn({ err }, 'systemd notification forwarder pipe failed'));
    if (interval !== undefined) notifier.#startWatchdog(interval);
    return notifier;
  }

  #startWatchdog(intervalMs: number): void {
    this.#send('WATCHDOG=1');
    this.#timer = setInterval(() => this.#send('WATCHDOG=1'), intervalMs);
    this.#timer.unref();
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #send(message: string): void {
    const stdin = this.#child.stdin;
    if (this.#closed || this.#dead || stdin === null || stdin.destroyed) return;
    stdin.write(`${message}\0`);
  }

  /** The service is up: listening and advertised. */
  ready(status: string): void {
    this.#send(`READY=1\nSTATUS=${status.replace(/\n/g, ' ')}`);
  }

  /** A free-form status line for `systemctl status`. */
  status(text: string): void {
    this.#send(`STATUS=${text.replace(/\n/g, ' ')}`);
  }

  /** The service is shutting down. */
  stopping(): void {
    this.#send('STOPPING=1');
  }

  /** Stop the watchdog and let the forwarder send what is queued and exit. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#stopTimer();
    this.#closed = true;
    const child = this.#child;
    if (this.#dead || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.stdin?.end();
    const kill = setTimeout(() => child.kill('SIGKILL'), 2000);
    try {
      await exited;
    } finally {
      clearTimeout(kill);
    }
  }
}
