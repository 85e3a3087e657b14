// WritableStream (WHATWG Streams Standard) with its default writer and controller.

const WRITER_RELEASED = 'This writer has been released.';
const CLOSE_SENTINEL = Symbol('close');

class WritableStreamRecord {
  constructor() {
    this.state = 'writable';
    this.storedError = undefined;
    this.writer = null;
    this.controller = null;
    this.inFlightWriteRequest = null;
    this.closeRequest = null;
    this.inFlightCloseRequest = null;
    this.pendingAbortRequest = null;
    this.writeRequests = new StreamQueue();
    this.backpressure = false;
    this.obj = null;
  }
}

class WriterRecord {
  constructor() {
    this.stream = null;
    this.ready = null;
    this.closed = null;
    this.obj = null;
  }
}

class WritableControllerRecord {
  constructor() {
    this.stream = null;
    this.queue = new StreamQueue();
    this.queueTotalSize = 0;
    this.started = false;
    this.hwm = 1;
    this.sizeAlgorithm = null;
    this.writeAlgorithm = null;
    this.closeAlgorithm = null;
    this.abortAlgorithm = null;
    this.abortController = null; // made when `signal` is first read
    this.aborted = false;
    this.abortReason = undefined;
    this.obj = null;
  }
}

// An AbortController for a controller's signal; a minimal stand-in when the global one is not there.
function streamAbortController() {
  if (typeof AbortController === 'function') {
    return new AbortController();
  }
  const signal = { aborted: false, reason: undefined, addEventListener: streamNoop, removeEventListener: streamNoop };
  return {
    signal,
    abort(reason) {
      signal.aborted = true;
      signal.reason = reason;
    },
  };
}

function wsControllerSignal(c) {
  if (c.abortController === null) {
    c.abortController = streamAbortController();
    if (c.aborted) {
      c.abortController.abort(c.abortReason);
    }
  }
  return c.abortController.signal;
}

function wsControllerSignalAbort(c, reason) {
  if (c.aborted) {
    return;
  }
  c.aborted = true;
  c.abortReason = reason;
  if (c.abortController !== null) {
    c.abortController.abort(reason);
  }
}

// ---- the stream

function wsIsLocked(s) {
  return s.writer !== null;
}

function wsCloseQueuedOrInFlight(s) {
  return s.closeRequest !== null || s.inFlightCloseRequest !== null;
}

function wsHasOperationMarkedInFlight(s) {
  return s.inFlightWriteRequest !== null || s.inFlightCloseRequest !== null;
}

function wsAbort(s, reason) {
  if (s.state === 'closed' || s.state === 'errored') {
    return Promise.resolve(undefined);
  }
  wsControllerSignalAbort(s.controller, reason);
  const state = s.state;
  if (state === 'closed' || state === 'errored') {
    return Promise.resolve(undefined);
  }
  if (s.pendingAbortRequest !== null) {
    return s.pendingAbortRequest.deferred.promise;
  }
  let wasAlreadyErroring = false;
  if (state === 'erroring') {
    wasAlreadyErroring = true;
    reason = undefined;
  }
  const deferred = new StreamDeferred();
  s.pendingAbortRequest = { deferred, reason, wasAlreadyErroring };
  if (!wasAlreadyErroring) {
    wsStartErroring(s, reason);
  }
  return deferred.promise;
}

function wsClose(s) {
  const state = s.state;
  if (state === 'closed' || state === 'errored') {
    return Promise.reject(new TypeError('The stream (in ' + state + ' state) is not in the writable state and cannot be closed'));
  }
  const deferred = new StreamDeferred();
  s.closeRequest = deferred;
  const writer = s.writer;
  if (writer !== null && s.backpressure && state === 'writable') {
    writer.ready.resolve(undefined);
  }
  wscClose(s.controller);
  return deferred.promise;
}

function wsDealWithRejection(s, error) {
  if (s.state === 'writable') {
    wsStartErroring(s, error);
    return;
  }
  wsFinishErroring(s);
}

function wsStartErroring(s, reason) {
  const c = s.controller;
  s.state = 'erroring';
  s.storedError = reason;
  const writer = s.writer;
  if (writer !== null) {
    writerEnsureReadyPromiseRejected(writer, reason);
  }
  if (!wsHasOperationMarkedInFlight(s) && c.started) {
    wsFinishErroring(s);
  }
}

function wsFinishErroring(s) {
  s.state = 'errored';
  queueReset(s.controller);
  const storedError = s.storedError;
  while (s.writeRequests.length > 0) {
    s.writeRequests.shift().reject(storedError);
  }
  const abortRequest = s.pendingAbortRequest;
  if (abortRequest === null) {
    wsRejectCloseAndClosedPromiseIfNeeded(s);
    return;
  }
  s.pendingAbortRequest = null;
  if (abortRequest.wasAlreadyErroring) {
    abortRequest.deferred.reject(storedError);
    wsRejectCloseAndClosedPromiseIfNeeded(s);
    return;
  }
  const c = s.controller;
  const promise = c.abortAlgorithm(abortRequest.reason);
  wscClearAlgorithms(c);
  promise.then(() => {
    abortRequest.deferred.resolve(undefined);
    wsRejectCloseAndClosedPromiseIfNeeded(s);
  }, (reason) => {
    abortRequest.deferred.reject(reason);
    wsRejectCloseAndClosedPromiseIfNeeded(s);
  });
}

function wsFinishInFlightWrite(s) {
  s.inFlightWriteRequest.resolve(undefined);
  s.inFlightWriteRequest = null;
}

function wsFinishInFlightWriteWithError(s, error) {
  s.inFlightWriteRequest.reject(error);
  s.inFlightWriteRequest = null;
  wsDealWithRejection(s, error);
}

function wsFinishInFlightClose(s) {
  s.inFlightCloseRequest.resolve(undefined);
  s.inFlightCloseRequest = null;
  if (s.state === 'erroring') {
    s.storedError = undefined;
    if (s.pendingAbortRequest !== null) {
      s.pendingAbortRequest.deferred.resolve(undefined);
      s.pendingAbortRequest = null;
    }
  }
  s.state = 'closed';
  if (s.writer !== null) {
    s.writer.closed.resolve(undefined);
  }
}

function wsFinishInFlightCloseWithError(s, error) {
  s.inFlightCloseRequest.reject(error);
  s.inFlightCloseRequest = null;
  if (s.pendingAbortRequest !== null) {
    s.pendingAbortRequest.deferred.reject(error);
    s.pendingAbortRequest = null;
  }
  wsDealWithRejection(s, error);
}

function wsRejectCloseAndClosedPromiseIfNeeded(s) {
  if (s.closeRequest !== null) {
    s.closeRequest.reject(s.storedError);
    s.closeRequest = null;
  }
  const writer = s.writer;
  if (writer !== null) {
    writer.closed.reject(s.storedError);
    markPromiseHandled(writer.closed.promise);
  }
}

function wsUpdateBackpressure(s, backpressure) {
  const writer = s.writer;
  if (writer !== null && backpressure !== s.backpressure) {
    if (backpressure) {
      writer.ready = new StreamDeferred();
    } else {
      writer.ready.resolve(undefined);
    }
  }
  s.backpressure = backpressure;
}

// ---- the writer

function acquireWriter(s) {
  if (wsIsLocked(s)) {
    throw new TypeError('This WritableStream is currently locked to a writer.');
  }
  const writer = new WriterRecord();
  writer.stream = s;
  s.writer = writer;
  const state = s.state;
  if (state === 'writable') {
    writer.ready = !wsCloseQueuedOrInFlight(s) && s.backpressure ? new StreamDeferred() : streamResolvedDeferred();
    writer.closed = new StreamDeferred();
  } else if (state === 'erroring') {
    writer.ready = streamRejectedDeferred(s.storedError);
    writer.closed = new StreamDeferred();
  } else if (state === 'closed') {
    writer.ready = streamResolvedDeferred();
    writer.closed = streamResolvedDeferred();
  } else {
    writer.ready = streamRejectedDeferred(s.storedError);
    writer.closed = streamRejectedDeferred(s.storedError);
  }
  return writer;
}

function writerEnsureReadyPromiseRejected(writer, error) {
  if (writer.ready.pending) {
    writer.ready.reject(error);
  } else {
    writer.ready = streamRejectedDeferred(error);
  }
  markPromiseHandled(writer.ready.promise);
}

function writerEnsureClosedPromiseRejected(writer, error) {
  if (writer.closed.pending) {
    writer.closed.reject(error);
  } else {
    writer.closed = streamRejectedDeferred(error);
  }
  markPromiseHandled(writer.closed.promise);
}

function writerDesiredSize(writer) {
  const s = writer.stream;
  const state = s.state;
  if (state === 'errored' || state === 'erroring') {
    return null;
  }
  if (state === 'closed') {
    return 0;
  }
  return wscDesiredSize(s.controller);
}

function writerRelease(writer) {
  const s = writer.stream;
  const released = new TypeError(WRITER_RELEASED);
  writerEnsureReadyPromiseRejected(writer, released);
  writerEnsureClosedPromiseRejected(writer, released);
  s.writer = null;
  writer.stream = null;
}

function writerWrite(writer, chunk) {
  const s = writer.stream;
  const c = s.controller;
  const chunkSize = wscChunkSize(c, chunk);
  if (s !== writer.stream) {
    return Promise.reject(new TypeError(WRITER_RELEASED));
  }
  const state = s.state;
  if (state === 'errored') {
    return Promise.reject(s.storedError);
  }
  if (wsCloseQueuedOrInFlight(s) || state === 'closed') {
    return Promise.reject(new TypeError('The stream is closing or closed and cannot be written to'));
  }
  if (state === 'erroring') {
    return Promise.reject(s.storedError);
  }
  const deferred = new StreamDeferred();
  s.writeRequests.push(deferred);
  wscWrite(c, chunk, chunkSize);
  return deferred.promise;
}

function writerClose(writer) {
  return wsClose(writer.stream);
}

function writerCloseWithErrorPropagation(writer) {
  const s = writer.stream;
  const state = s.state;
  if (wsCloseQueuedOrInFlight(s) || state === 'closed') {
    return Promise.resolve(undefined);
  }
  if (state === 'errored') {
    return Promise.reject(s.storedError);
  }
  return writerClose(writer);
}

// ---- the controller

function wscClearAlgorithms(c) {
  c.writeAlgorithm = null;
  c.closeAlgorithm = null;
  c.abortAlgorithm = null;
  c.sizeAlgorithm = null;
}

function wscDesiredSize(c) {
  return c.hwm - c.queueTotalSize;
}

function wscBackpressure(c) {
  return wscDesiredSize(c) <= 0;
}

function wscChunkSize(c, chunk) {
  if (c.sizeAlgorithm === null) {
    return 1;
  }
  try {
    return c.sizeAlgorithm(chunk);
  } catch (e) {
    wscErrorIfNeeded(c, e);
    return 1;
  }
}

function wscError(c, error) {
  wscClearAlgorithms(c);
  wsStartErroring(c.stream, error);
}

function wscErrorIfNeeded(c, error) {
  if (c.stream.state === 'writable') {
    wscError(c, error);
  }
}

function wscClose(c) {
  queueEnqueueValueWithSize(c, CLOSE_SENTINEL, 0);
  wscAdvanceQueueIfNeeded(c);
}

function wscWrite(c, chunk, chunkSize) {
  try {
    queueEnqueueValueWithSize(c, chunk, chunkSize);
  } catch (e) {
    wscErrorIfNeeded(c, e);
    return;
  }
  const s = c.stream;
  if (!wsCloseQueuedOrInFlight(s) && s.state === 'writable') {
    wsUpdateBackpressure(s, wscBackpressure(c));
  }
  wscAdvanceQueueIfNeeded(c);
}

function wscAdvanceQueueIfNeeded(c) {
  const s = c.stream;
  if (!c.started || s.inFlightWriteRequest !== null) {
    return;
  }
  if (s.state === 'erroring') {
    wsFinishErroring(s);
    return;
  }
  if (c.queue.length === 0) {
    return;
  }
  const value = c.queue.peek().value;
  if (value === CLOSE_SENTINEL) {
    wscProcessClose(c);
  } else {
    wscProcessWrite(c, value);
  }
}

function wscProcessClose(c) {
  const s = c.stream;
  s.inFlightCloseRequest = s.closeRequest;
  s.closeRequest = null;
  queueDequeueValue(c);
  const promise = c.closeAlgorithm();
  wscClearAlgorithms(c);
  promise.then(() => wsFinishInFlightClose(s), (reason) => wsFinishInFlightCloseWithError(s, reason));
}

function wscProcessWrite(c, chunk) {
  const s = c.stream;
  s.inFlightWriteRequest = s.writeRequests.shift();
  c.writeAlgorithm(chunk).then(() => {
    wsFinishInFlightWrite(s);
    queueDequeueValue(c);
    if (!wsCloseQueuedOrInFlight(s) && s.state === 'writable') {
      wsUpdateBackpressure(s, wscBackpressure(c));
    }
    wscAdvanceQueueIfNeeded(c);
  }, (reason) => {
    if (s.state === 'writable') {
      wscClearAlgorithms(c);
    }
    wsFinishInFlightWriteWithError(s, reason);
  });
}

function setUpWritableController(s, c, startAlgorithm, writeAlgorithm, closeAlgorithm, abortAlgorithm, hwm, sizeAlgorithm) {
  c.stream = s;
  s.controller = c;
  c.hwm = hwm;
  c.sizeAlgorithm = sizeAlgorithm;
  c.writeAlgorithm = writeAlgorithm;
  c.closeAlgorithm = closeAlgorithm;
  c.abortAlgorithm = abortAlgorithm;
  wsUpdateBackpressure(s, wscBackpressure(c));
  const startResult = startAlgorithm();
  promiseResolvedWith(startResult).then(() => {
    c.started = true;
    wscAdvanceQueueIfNeeded(c);
  }, (r) => {
    c.started = true;
    wsDealWithRejection(s, r);
  });
}

// CreateWritableStream: returns the record; `.obj` is the stream.
function createWritableStream(startAlgorithm, writeAlgorithm, closeAlgorithm, abortAlgorithm, hwm = 1, sizeAlgorithm = streamSizeOne) {
  const s = new WritableStreamRecord();
  new WritableStream(INTERNAL, s);
  const c = new WritableControllerRecord();
  new WritableStreamDefaultController(INTERNAL, c);
  setUpWritableController(s, c, startAlgorithm, writeAlgorithm, closeAlgorithm || resolvedUndefinedAlgorithm,
    abortAlgorithm || resolvedUndefinedAlgorithm, hwm, sizeAlgorithm);
  return s;
}

// ---- public classes

let writableStreamRecord;
let isWritableStream;

class WritableStreamDefaultController {
  #c;

  constructor(key, record) {
    if (key !== INTERNAL) {
      illegalConstructor();
    }
    this.#c = record;
    record.obj = this;
  }

  get signal() {
    return wsControllerSignal(this.#c);
  }

  error(e = undefined) {
    const c = this.#c;
    if (c.stream.state !== 'writable') {
      return;
    }
    wscError(c, e);
  }
}

class WritableStreamDefaultWriter {
  #w;

  constructor(stream) {
    const writer = acquireWriter(writableStreamRecord(stream));
    writer.obj = this;
    this.#w = writer;
  }

  get closed() {
    return this.#w.closed.promise;
  }

  get desiredSize() {
    const writer = this.#w;
    if (writer.stream === null) {
      throw new TypeError(WRITER_RELEASED);
    }
    return writerDesiredSize(writer);
  }

  get ready() {
    return this.#w.ready.promise;
  }

  abort(reason = undefined) {
    let writer;
    try {
      writer = this.#w;
    } catch (e) {
      return Promise.reject(illegalInvocation('WritableStreamDefaultWriter'));
    }
    if (writer.stream === null) {
      return Promise.reject(new TypeError(WRITER_RELEASED));
    }
    return wsAbort(writer.stream, reason);
  }

  close() {
    let writer;
    try {
      writer = this.#w;
    } catch (e) {
      return Promise.reject(illegalInvocation('WritableStreamDefaultWriter'));
    }
    const s = writer.stream;
    if (s === null) {
      return Promise.reject(new TypeError(WRITER_RELEASED));
    }
    if (wsCloseQueuedOrInFlight(s)) {
      return Promise.reject(new TypeError('Cannot close a stream that is already closing or closed'));
    }
    return writerClose(writer);
  }

  releaseLock() {
    const writer = this.#w;
    if (writer.stream !== null) {
      writerRelease(writer);
    }
  }

  write(chunk = undefined) {
    let writer;
    try {
      writer = this.#w;
    } catch (e) {
      return Promise.reject(illegalInvocation('WritableStreamDefaultWriter'));
    }
    if (writer.stream === null) {
      return Promise.reject(new TypeError(WRITER_RELEASED));
    }
    return writerWrite(writer, chunk);
  }
}

class WritableStream {
  #s;

  static {
    writableStreamRecord = (stream) => {
      if (stream === null || typeof stream !== 'object' || !(#s in stream)) {
        throw new TypeError('The argument is not a WritableStream.');
      }
      return stream.#s;
    };
    isWritableStream = (x) => x !== null && typeof x === 'object' && #s in x;
  }

  constructor(underlyingSink = undefined, strategy = undefined) {
    if (underlyingSink === INTERNAL) {
      this.#s = strategy;
      strategy.obj = this;
      return;
    }
    const what = "Failed to construct 'WritableStream'";
    if (underlyingSink !== undefined && underlyingSink !== null
        && typeof underlyingSink !== 'object' && typeof underlyingSink !== 'function') {
      throw new TypeError(what + ": The provided value is not of type 'UnderlyingSink'.");
    }
    const strategyDict = strategyFromInit(strategy, what);
    const sink = underlyingSink === undefined || underlyingSink === null ? {} : underlyingSink;
    const abort = streamCallbackMember(sink, 'abort', what);
    const close = streamCallbackMember(sink, 'close', what);
    const start = streamCallbackMember(sink, 'start', what);
    const type = sink.type;
    const write = streamCallbackMember(sink, 'write', what);
    if (type !== undefined) {
      throw new RangeError('Invalid type is specified');
    }
    const s = new WritableStreamRecord();
    s.obj = this;
    this.#s = s;
    const sizeAlgorithm = extractSizeAlgorithm(strategyDict);
    const hwm = extractHighWaterMark(strategyDict, 1);
    const c = new WritableControllerRecord();
    const controller = new WritableStreamDefaultController(INTERNAL, c);
    setUpWritableController(s, c,
      start === undefined ? () => undefined : () => Reflect.apply(start, sink, [controller]),
      write === undefined ? resolvedUndefinedAlgorithm : (chunk) => promiseCall(write, sink, [chunk, controller]),
      close === undefined ? resolvedUndefinedAlgorithm : () => promiseCall(close, sink, []),
      abort === undefined ? resolvedUndefinedAlgorithm : (reason) => promiseCall(abort, sink, [reason]),
      hwm, sizeAlgorithm);
  }

  get locked() {
    return wsIsLocked(this.#s);
  }

  abort(reason = undefined) {
    let s;
    try {
      s = this.#s;
    } catch (e) {
      return Promise.reject(illegalInvocation('WritableStream'));
    }
    if (wsIsLocked(s)) {
      return Promise.reject(new TypeError('Cannot abort a stream that already has a writer'));
    }
    return wsAbort(s, reason);
  }

  close() {
    let s;
    try {
      s = this.#s;
    } catch (e) {
      return Promise.reject(illegalInvocation('WritableStream'));
    }
    if (wsIsLocked(s)) {
      return Promise.reject(new TypeError('Cannot close a stream that already has a writer'));
    }
    if (wsCloseQueuedOrInFlight(s)) {
      return Promise.reject(new TypeError('Cannot close an already-closing stream'));
    }
    return wsClose(s);
  }

  getWriter() {
    return new WritableStreamDefaultWriter(this);
  }
}
defineGlobal('WritableStream', WritableStream);
defineGlobal('WritableStreamDefaultWriter', WritableStreamDefaultWriter);
defineGlobal('WritableStreamDefaultController', WritableStreamDefaultController);
streamsDefineInterface(WritableStreamDefaultController, 'WritableStreamDefaultController');
streamsDefineInterface(WritableStreamDefaultWriter, 'WritableStreamDefaultWriter');
streamsDefineInterface(WritableStream, 'WritableStream');
