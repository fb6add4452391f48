/**
 * One client connection of the service port: bytes in → messages (the codec's
 * FrameSplitter), each message → a command whose reply takes its place in the
 * connection's ReplyPipeline. Nothing a client sends can crash the gateway:
 * a message that cannot be decoded is answered with an error result code;
 * one whose framing is lost (wrong version, over max-message-size, a type
 * that has no reply form) closes the connection after the replies before it.
 */
import type { Socket } from 'node:net';
import {
  AdminCommand, AdminField, ByteWriter, FieldType, FrameSplitter, Info1, MessageType, MsgView, ResultCode, beginFrame, decodeMsg, endFrame, isProtocolError,
  parseAdminRequest, parseInfoRequest, resultCodeName, sessionTtlField, writeAdminReply, writeLastReply, type AdminReplyField, type AdminRequest,
} from '../../aerospike-protocol/index.js';
import { runBatchCommand } from './batch-command.js';
import type { CommandContext } from './context.js';
import type { InfoService } from './info-service.js';
import type { JobRegistry } from './jobs.js';
import { ReplyPipeline } from './pipeline.js';
import { runRecordCommand, type CommandOutcome } from './record-command.js';
import { resultCodeFor } from '../../errors/index.js';
import { runScanCommand } from './scan-command.js';
import type { ServiceSecurity } from './security.js';
import type { ServiceCommand } from './stats.js';

/** Socket bytes queued at which a streaming reply waits for the client to read. */
const WRITE_HIGH_WATER_BYTES = 1024 * 1024;
const NOT_AUTHENTICATED_INFO = Buffer.from(`ERROR:${ResultCode.NOT_AUTHENTICATED}:not authenticated; log in with a user of the gateway's service.users\n`);

export interface ConnectionServices {
  info: InfoService;
  jobs: JobRegistry;
  /** Present when the config lists users: every connection must log in (or present a session) first. */
  security?: ServiceSecurity;
}

export class ServiceConnection {
  private readonly splitter: FrameSplitter;
  private readonly view = new MsgView();
  private readonly pipeline: ReplyPipeline;
  private closing = false;
  /** Without users configured every connection is; with them, after a LOGIN or AUTHENTICATE that succeeded. */
  private authenticated: boolean;

  constructor(
    private readonly socket: Socket,
    private readonly ctx: CommandContext,
    private readonly services: ConnectionServices,
  ) {
    this.authenticated = services.security === undefined;
    this.splitter = new FrameSplitter({ maxBodyBytes: ctx.limits.messageBytesMax });
    this.pipeline = new ReplyPipeline(socket, new ByteWriter(), {
      inFlightMax: ctx.limits.inFlightMax,
      writeHighWaterBytes: WRITE_HIGH_WATER_BYTES,
      onBackpressure: (paused) => (paused ? socket.pause() : socket.resume()),
      onStreamError: (err) => ctx.logger.warn({ err }, 'streaming reply failed'),
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.pipeline.onDrain());
    socket.on('close', () => this.pipeline.onClosed());
    socket.on('error', (err) => ctx.logger.debug({ err }, 'service connection error'));
  }

  /** Requests taken and not yet answered. */
  inFlight(): number {
    return this.pipeline.inFlight();
  }

  /** Stops reading requests; the ones in flight are still answered. */
  stopReading(): void {
    this.closing = true;
    this.socket.pause();
  }

  private onData(chunk: Buffer): void {
    if (this.closing) return;
    this.splitter.push(chunk);
    for (;;) {
      let frame;
      try {
        frame = this.splitter.next();
      } catch (err) {
        this.loseFraming(err);
        return;
      }
      if (frame === null) return;
      this.handle(frame.type, frame.body);
      if (this.closing) return;
    }
  }

  private loseFraming(err: unknown): void {
    this.ctx.stats.framingErrors++;
    this.ctx.logger.warn({ err, remote: this.socket.remoteAddress }, 'closing a service connection whose framing is lost');
    this.closing = true;
    this.pipeline.closeAfterPending();
  }

  private handle(type: number, body: Buffer): void {
    const started = performance.now();
    switch (type) {
      case MessageType.MESSAGE:
        if (!this.authenticated) return this.answerError('read', ResultCode.NOT_AUTHENTICATED, started);
        return this.handleMessage(body, started);
      case MessageType.INFO:
        if (!this.authenticated) return this.refuseInfo(started);
        return this.handleInfo(body, started);
      case MessageType.ADMIN:
        return this.handleAdmin(body, started);
      case MessageType.COMPRESSED:
        if (!this.authenticated) return this.answerError('read', ResultCode.NOT_AUTHENTICATED, started);
        // The framing holds (the size was read); answer that compression is not available.
        return this.answerError('read', ResultCode.UNSUPPORTED_FEATURE, started);
      default:
        this.loseFraming(new Error(`message type ${type} has no reply form`));
    }
  }

  private answerError(command: ServiceCommand, resultCode: number, started: number): void {
    const slot = this.pipeline.reserve();
    this.ctx.stats.record(command, resultCode, started);
    // LAST as well: a batch or scan client reads it as the end of the stream, a single-record client ignores it.
    this.pipeline.complete(slot, (w) => writeLastReply(w, resultCode));
  }

  private failed(command: ServiceCommand, err: unknown, started: number): void {
    const { resultCode, known } = resultCodeFor(err);
    if (!known) this.ctx.logger.error({ err }, 'service request failed with an unmapped error');
    else if (!isProtocolError(err)) this.ctx.logger.debug({ err }, 'service request refused');
    this.answerError(command, resultCode, started);
  }

  private handleInfo(body: Buffer, started: number): void {
    const slot = this.pipeline.reserve();
    let names: string[];
    try {
      names = parseInfoRequest(body);
    } catch (err) {
      this.pipeline.complete(slot, (w) => writeInfo(w, Buffer.from(`ERROR:4:${err instanceof Error ? err.message : 'bad info request'}\n`)));
      this.ctx.stats.record('info', ResultCode.PARAMETER, started);
      return;
    }
    this.services.info.reply(names).then(
      (reply) => {
        this.ctx.stats.record('info', ResultCode.OK, started);
        this.pipeline.complete(slot, (w) => writeInfo(w, reply));
      },
      (err: unknown) => {
        this.ctx.logger.error({ err }, 'info request failed');
        this.ctx.stats.record('info', ResultCode.UNKNOWN, started);
        this.pipeline.complete(slot, (w) => writeInfo(w, Buffer.from('ERROR:1:internal error\n')));
      },
    );
  }

  /** An info request before login: one ERROR line, as a server with security enabled answers. */
  private refuseInfo(started: number): void {
    const slot = this.pipeline.reserve();
    this.ctx.stats.record('info', ResultCode.NOT_AUTHENTICATED, started);
    this.pipeline.complete(slot, (w) => writeInfo(w, NOT_AUTHENTICATED_INFO));
  }

  private handleAdmin(body: Buffer, started: number): void {
    const slot = this.pipeline.reserve();
    let answer: { resultCode: number; fields?: AdminReplyField[] };
    try {
      answer = this.adminAnswer(parseAdminRequest(body));
    } catch (err) {
      answer = { resultCode: resultCodeFor(err).resultCode };
    }
    this.ctx.stats.record('admin', answer.resultCode, started);
    if (answer.resultCode !== ResultCode.OK && answer.resultCode !== ResultCode.SECURITY_NOT_ENABLED) {
      this.ctx.logger.info({ remote: this.socket.remoteAddress, resultCode: resultCodeName(answer.resultCode) }, 'service login refused');
    }
    this.pipeline.complete(slot, (w) => writeAdminReply(w, answer.resultCode, answer.fields));
  }

  /**
   * Without users: "security not enabled" to everything, which clients take as
   * a login that was not needed. With users: LOGIN and AUTHENTICATE; users and
   * roles live in the config file, so the commands that manage them answer
   * UNSUPPORTED_FEATURE (after login; before it, NOT_AUTHENTICATED).
   */
  private adminAnswer(req: AdminRequest): { resultCode: number; fields?: AdminReplyField[] } {
    const security = this.services.security;
    if (security === undefined) return { resultCode: ResultCode.SECURITY_NOT_ENABLED };
    const user = req.fields.get(AdminField.USER);
    if (req.command === AdminCommand.LOGIN) {
      const result = security.login(user, req.fields.get(AdminField.CREDENTIAL));
      if (!('token' in result)) return { resultCode: result.resultCode };
      this.authenticated = true;
      return { resultCode: ResultCode.OK, fields: [{ id: AdminField.SESSION_TOKEN, data: result.token }, sessionTtlField(result.ttlSec)] };
    }
    if (req.command === AdminCommand.AUTHENTICATE) {
      const resultCode = security.authenticate(user, req.fields.get(AdminField.SESSION_TOKEN));
      if (resultCode === ResultCode.OK) this.authenticated = true;
      return { resultCode };
    }
    return { resultCode: this.authenticated ? ResultCode.UNSUPPORTED_FEATURE : ResultCode.NOT_AUTHENTICATED };
  }

  private handleMessage(body: Buffer, started: number): void {
    const view = this.view;
    try {
      decodeMsg(view, body, this.ctx.limits);
    } catch (err) {
      return this.failed('read', err, started);
    }
    if (view.fields.has(FieldType.DIGEST)) return this.handleRecord(started);
    if ((view.info1 & Info1.BATCH) !== 0) return this.handleBatch(started);
    return this.handleScan(started);
  }

  private settle(command: ServiceCommand, run: Promise<CommandOutcome>, started: number): void {
    const slot = this.pipeline.reserve();
    run.then(
      (outcome) => {
        this.ctx.stats.record(command, outcome.resultCode, started);
        this.pipeline.complete(slot, outcome.encode);
      },
      (err: unknown) => {
        const { resultCode, known } = resultCodeFor(err);
        if (!known) this.ctx.logger.error({ err }, 'service request failed with an unmapped error');
        this.ctx.stats.record(command, resultCode, started);
        this.pipeline.complete(slot, (w) => writeLastReply(w, resultCode));
      },
    );
  }

  private handleRecord(started: number): void {
    let cmd;
    try {
      cmd = runRecordCommand(this.ctx, this.view);
    } catch (err) {
      return this.failed('read', err, started);
    }
    this.settle(cmd.command, cmd.run, started);
  }

  private handleBatch(started: number): void {
    let run;
    try {
      run = runBatchCommand(this.ctx, this.view);
    } catch (err) {
      return this.failed('batch', err, started);
    }
    this.settle('batch', run, started);
  }

  private handleScan(started: number): void {
    let cmd;
    try {
      cmd = runScanCommand(this.ctx, this.services.jobs, this.view);
    } catch (err) {
      return this.failed('scan', err, started);
    }
    if ('outcome' in cmd) {
      this.settle(cmd.command, Promise.resolve(cmd.outcome), started);
      return;
    }
    const slot = this.pipeline.reserve();
    const stream = cmd.stream;
    const command = cmd.command;
    this.pipeline.stream(slot, async (sink) => {
      try {
        await stream(sink);
      } finally {
        this.ctx.stats.record(command, 0, started);
      }
    });
  }
}

function writeInfo(w: ByteWriter, reply: Buffer): void {
  const frame = beginFrame(w, MessageType.INFO);
  w.bytes(reply);
  endFrame(w, frame);
}
