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
  ByteWriter, FieldType, FrameSplitter, Info1, MessageType, MsgView, ResultCode, beginFrame, decodeMsg, endFrame, isProtocolError, parseInfoRequest,
  writeLastReply,
} from '../../aerospike-protocol/index.js';
import { runBatchCommand } from './batch-command.js';
import type { CommandContext } from './context.js';
import type { InfoService } from './info-service.js';
import type { JobRegistry } from './jobs.js';
import { ReplyPipeline } from './pipeline.js';
import { runRecordCommand, type CommandOutcome } from './record-command.js';
import { resultCodeFor } from './result-map.js';
import { runScanCommand } from './scan-command.js';
import type { ServiceCommand } from './stats.js';

/** Socket bytes queued at which a streaming reply waits for the client to read. */
const WRITE_HIGH_WATER_BYTES = 1024 * 1024;
/** The admin reply clients get for a login: "security not enabled", which they accept as success. */
const SECURITY_NOT_ENABLED = 52;
const ADMIN_MSG_BYTES = 16;

export interface ConnectionServices {
  info: InfoService;
  jobs: JobRegistry;
}

export class ServiceConnection {
  private readonly splitter: FrameSplitter;
  private readonly view = new MsgView();
  private readonly pipeline: ReplyPipeline;
  private closing = false;

  constructor(
    private readonly socket: Socket,
    private readonly ctx: CommandContext,
    private readonly services: ConnectionServices,
  ) {
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
        return this.handleMessage(body, started);
      case MessageType.INFO:
        return this.handleInfo(body, started);
      case MessageType.ADMIN:
        return this.handleAdmin(started);
      case MessageType.COMPRESSED:
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

  private handleAdmin(started: number): void {
    const slot = this.pipeline.reserve();
    this.ctx.stats.record('admin', 0, started);
    this.pipeline.complete(slot, (w) => {
      const frame = beginFrame(w, MessageType.ADMIN);
      w.ensure(ADMIN_MSG_BYTES);
      w.buf.fill(0, w.pos, w.pos + ADMIN_MSG_BYTES);
      w.buf[w.pos + 1] = SECURITY_NOT_ENABLED;
      w.pos += ADMIN_MSG_BYTES;
      endFrame(w, frame);
    });
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
