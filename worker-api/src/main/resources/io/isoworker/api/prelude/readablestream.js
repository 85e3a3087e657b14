// ReadableStream (WHATWG Streams Standard): default and byte streams, default and BYOB readers, tee, pipeTo,
// pipeThrough, ReadableStream.from and async iteration. Internal slots live in plain records; each public object
// holds its record in a private field, and the algorithms below work on records, as the standard's do on slots.

const READER_RELEASED = 'This reader has been released.';
const STREAM_LOCKED = 'This ReadableStream is currently locked to a reader.';

class ReadableStreamRecord {
  constructor() {
    this.state = 'readable';
    this.reader = null;
    this.storedError = undefined;
    this.disturbed = false;
    this.controller = null;
    this.obj = null;
    this.expectedLength = -1; // a FixedLengthStream's readable side: its length in bytes
  }
}

class ReaderRecord {
  constructor(kind) {
    this.kind = kind; // 'default' or 'byob'
    this.stream = null;
    this.closed = null;
    this.requests = []; // read requests or read-into requests: {chunkSteps, closeSteps, errorSteps}
    this.obj = null;
  }
}

class DefaultControllerRecord {
  constructor() {
    this.kind = 'default';
    this.stream = null;
    this.queue = new StreamQueue();
    this.queueTotalSize = 0;
    this.started = false;
    this.closeRequested = false;
    this.pullAgain = false;
    this.pulling = false;
    this.hwm = 1;
    this.sizeAlgorithm = null;
    this.pullAlgorithm = null;
    this.cancelAlgorithm = null;
    this.obj = null;
  }
}

class ByteControllerRecord {
  constructor() {
    this.kind = 'byte';
    this.stream = null;
    this.queue = new StreamQueue(); // {buffer, byteOffset, byteLength}
    this.queueTotalSize = 0;
    this.started = false;
    this.closeRequested = false;
    this.pullAgain = false;
    this.pulling = false;
    this.hwm = 0;
    this.pullAlgorithm = null;
    this.cancelAlgorithm = null;
    this.autoAllocateChunkSize = undefined;
    this.pendingPullIntos = [];
    this.byobRequest = null; // a ByobRequestRecord
    this.obj = null;
  }
}

class ByobRequestRecord {
  constructor(controller, view) {
    this.controller = controller;
    this.view = view;
    this.obj = null;
  }
}

// ---- the stream

function rsIsLocked(s) {
  return s.reader !== null;
}

function rsHasDefaultReader(s) {
  return s.reader !== null && s.reader.kind === 'default';
}

function rsHasByobReader(s) {
  return s.reader !== null && s.reader.kind === 'byob';
}

function rsNumRequests(s) {
  return s.reader.requests.length;
}

function rsClose(s) {
  s.state = 'closed';
  const reader = s.reader;
  if (reader === null) {
    return;
  }
  reader.closed.resolve(undefined);
  if (reader.kind === 'default') {
    const requests = reader.requests;
    reader.requests = [];
    for (const r of requests) {
      r.closeSteps();
    }
  }
}

function rsCancel(s, reason) {
  s.disturbed = true;
  if (s.state === 'closed') {
    return Promise.resolve(undefined);
  }
  if (s.state === 'errored') {
    return Promise.reject(s.storedError);
  }
  rsClose(s);
  const reader = s.reader;
  if (reader !== null && reader.kind === 'byob') {
    const requests = reader.requests;
    reader.requests = [];
    for (const r of requests) {
      r.closeSteps(undefined);
    }
  }
  const c = s.controller;
  const sourceCancel = c.kind === 'byte' ? rbcCancelSteps(c, reason) : rdcCancelSteps(c, reason);
  return sourceCancel.then(streamNoop);
}

function rsError(s, e) {
  s.state = 'errored';
  s.storedError = e;
  const reader = s.reader;
  if (reader === null) {
    return;
  }
  reader.closed.reject(e);
  markPromiseHandled(reader.closed.promise);
  readerErrorRequests(reader, e);
}

function rsFulfillReadRequest(s, chunk, done) {
  const request = s.reader.requests.shift();
  if (done) {
    request.closeSteps();
  } else {
    request.chunkSteps(chunk);
  }
}

function rsFulfillReadIntoRequest(s, chunk, done) {
  const request = s.reader.requests.shift();
  if (done) {
    request.closeSteps(chunk);
  } else {
    request.chunkSteps(chunk);
  }
}

// ---- readers

function readerInitialize(reader, s) {
  reader.stream = s;
  s.reader = reader;
  if (s.state === 'readable') {
    reader.closed = new StreamDeferred();
  } else if (s.state === 'closed') {
    reader.closed = streamResolvedDeferred();
  } else {
    reader.closed = streamRejectedDeferred(s.storedError);
  }
}

function readerErrorRequests(reader, e) {
  const requests = reader.requests;
  reader.requests = [];
  for (const r of requests) {
    r.errorSteps(e);
  }
}

function readerRelease(reader) {
  const s = reader.stream;
  if (s.state === 'readable') {
    reader.closed.reject(new TypeError(READER_RELEASED));
  } else {
    reader.closed = streamRejectedDeferred(new TypeError(READER_RELEASED));
  }
  markPromiseHandled(reader.closed.promise);
  if (s.controller.kind === 'byte') {
    rbcReleaseSteps(s.controller);
  }
  s.reader = null;
  reader.stream = null;
  readerErrorRequests(reader, new TypeError(READER_RELEASED));
}

function acquireDefaultReader(s) {
  if (rsIsLocked(s)) {
    throw new TypeError(STREAM_LOCKED);
  }
  const reader = new ReaderRecord('default');
  readerInitialize(reader, s);
  return reader;
}

function acquireByobReader(s) {
  if (rsIsLocked(s)) {
    throw new TypeError(STREAM_LOCKED);
  }
  if (s.controller.kind !== 'byte') {
    throw new TypeError('This ReadableStream does not support BYOB reads: it is not a byte stream.');
  }
  const reader = new ReaderRecord('byob');
  readerInitialize(reader, s);
  return reader;
}

function defaultReaderRead(reader, request) {
  const s = reader.stream;
  s.disturbed = true;
  if (s.state === 'closed') {
    request.closeSteps();
  } else if (s.state === 'errored') {
    request.errorSteps(s.storedError);
  } else if (s.controller.kind === 'byte') {
    rbcPullSteps(s.controller, request);
  } else {
    rdcPullSteps(s.controller, request);
  }
}

function byobReaderRead(reader, view, min, request) {
  const s = reader.stream;
  s.disturbed = true;
  if (s.state === 'errored') {
    request.errorSteps(s.storedError);
  } else {
    rbcPullInto(s.controller, view, min, request);
  }
}

// A read request that settles a promise with a {value, done} result.
function promiseReadRequest(deferred) {
  return {
    chunkSteps: (chunk) => deferred.resolve({ value: chunk, done: false }),
    closeSteps: (chunk) => deferred.resolve({ value: chunk, done: true }),
    errorSteps: (e) => deferred.reject(e),
  };
}

// ---- the default controller

function rdcCanCloseOrEnqueue(c) {
  return !c.closeRequested && c.stream.state === 'readable';
}

function rdcDesiredSize(c) {
  const state = c.stream.state;
  if (state === 'errored') {
    return null;
  }
  if (state === 'closed') {
    return 0;
  }
  return c.hwm - c.queueTotalSize;
}

function rdcShouldCallPull(c) {
  if (!rdcCanCloseOrEnqueue(c) || !c.started) {
    return false;
  }
  const s = c.stream;
  if (rsIsLocked(s) && rsNumRequests(s) > 0) {
    return true;
  }
  return rdcDesiredSize(c) > 0;
}

function rdcCallPullIfNeeded(c) {
  if (!rdcShouldCallPull(c)) {
    return;
  }
  if (c.pulling) {
    c.pullAgain = true;
    return;
  }
  c.pulling = true;
  c.pullAlgorithm().then(() => {
    c.pulling = false;
    if (c.pullAgain) {
      c.pullAgain = false;
      rdcCallPullIfNeeded(c);
    }
  }, (e) => rdcError(c, e));
}

function rdcClearAlgorithms(c) {
  c.pullAlgorithm = null;
  c.cancelAlgorithm = null;
  c.sizeAlgorithm = null;
}

function rdcClose(c) {
  if (!rdcCanCloseOrEnqueue(c)) {
    return;
  }
  c.closeRequested = true;
  if (c.queue.length === 0) {
    rdcClearAlgorithms(c);
    rsClose(c.stream);
  }
}

function rdcEnqueue(c, chunk) {
  if (!rdcCanCloseOrEnqueue(c)) {
    return;
  }
  const s = c.stream;
  if (rsIsLocked(s) && rsNumRequests(s) > 0) {
    rsFulfillReadRequest(s, chunk, false);
  } else {
    let size;
    try {
      size = c.sizeAlgorithm(chunk);
    } catch (e) {
      rdcError(c, e);
      throw e;
    }
    try {
      queueEnqueueValueWithSize(c, chunk, size);
    } catch (e) {
      rdcError(c, e);
      throw e;
    }
  }
  rdcCallPullIfNeeded(c);
}

function rdcError(c, e) {
  const s = c.stream;
  if (s.state !== 'readable') {
    return;
  }
  queueReset(c);
  rdcClearAlgorithms(c);
  rsError(s, e);
}

function rdcCancelSteps(c, reason) {
  queueReset(c);
  const result = c.cancelAlgorithm(reason);
  rdcClearAlgorithms(c);
  return result;
}

function rdcPullSteps(c, request) {
  const s = c.stream;
  if (c.queue.length > 0) {
    const chunk = queueDequeueValue(c);
    if (c.closeRequested && c.queue.length === 0) {
      rdcClearAlgorithms(c);
      rsClose(s);
    } else {
      rdcCallPullIfNeeded(c);
    }
    request.chunkSteps(chunk);
  } else {
    s.reader.requests.push(request);
    rdcCallPullIfNeeded(c);
  }
}

function setUpDefaultController(s, c, startAlgorithm, pullAlgorithm, cancelAlgorithm, hwm, sizeAlgorithm) {
  c.stream = s;
  c.hwm = hwm;
  c.sizeAlgorithm = sizeAlgorithm;
  c.pullAlgorithm = pullAlgorithm;
  c.cancelAlgorithm = cancelAlgorithm;
  s.controller = c;
  const startResult = startAlgorithm();
  promiseResolvedWith(startResult).then(() => {
    c.started = true;
    rdcCallPullIfNeeded(c);
  }, (r) => rdcError(c, r));
}

// ---- the byte stream controller

function rbcDesiredSize(c) {
  const state = c.stream.state;
  if (state === 'errored') {
    return null;
  }
  if (state === 'closed') {
    return 0;
  }
  return c.hwm - c.queueTotalSize;
}

function rbcShouldCallPull(c) {
  const s = c.stream;
  if (s.state !== 'readable' || c.closeRequested || !c.started) {
    return false;
  }
  if (s.reader !== null && rsNumRequests(s) > 0) {
    return true;
  }
  return rbcDesiredSize(c) > 0;
}

function rbcCallPullIfNeeded(c) {
  if (!rbcShouldCallPull(c)) {
    return;
  }
  if (c.pulling) {
    c.pullAgain = true;
    return;
  }
  c.pulling = true;
  c.pullAlgorithm().then(() => {
    c.pulling = false;
    if (c.pullAgain) {
      c.pullAgain = false;
      rbcCallPullIfNeeded(c);
    }
  }, (e) => rbcError(c, e));
}

function rbcClearAlgorithms(c) {
  c.pullAlgorithm = null;
  c.cancelAlgorithm = null;
}

function rbcInvalidateByobRequest(c) {
  if (c.byobRequest === null) {
    return;
  }
  c.byobRequest.controller = null;
  c.byobRequest.view = null;
  c.byobRequest = null;
}

function rbcClearPendingPullIntos(c) {
  rbcInvalidateByobRequest(c);
  c.pendingPullIntos = [];
}

function rbcError(c, e) {
  const s = c.stream;
  if (s.state !== 'readable') {
    return;
  }
  rbcClearPendingPullIntos(c);
  queueReset(c);
  rbcClearAlgorithms(c);
  rsError(s, e);
}

function rbcClose(c) {
  const s = c.stream;
  if (c.closeRequested || s.state !== 'readable') {
    return;
  }
  if (c.queueTotalSize > 0) {
    c.closeRequested = true;
    return;
  }
  if (c.pendingPullIntos.length > 0) {
    const first = c.pendingPullIntos[0];
    if (first.bytesFilled % first.elementSize !== 0) {
      const e = new TypeError('Insufficient bytes to fill elements in the given buffer');
      rbcError(c, e);
      throw e;
    }
  }
  rbcClearAlgorithms(c);
  rsClose(s);
}

// Closes a byte stream from its source's side, answering a pending BYOB read with the end of the stream.
function rbcCloseAndRespond(c) {
  rbcClose(c);
  if (c.pendingPullIntos.length > 0 && c.stream.state === 'closed') {
    rbcRespond(c, 0);
  }
}

// ArrayBuffer's own methods, as they were before guest code ran.
const STREAM_BUFFER_DETACHED = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'detached').get;
const STREAM_BUFFER_TRANSFER = ArrayBuffer.prototype.transfer;

function isDetachedBuffer(buffer) {
  return Reflect.apply(STREAM_BUFFER_DETACHED, buffer, []);
}

function transferArrayBuffer(buffer) {
  return Reflect.apply(STREAM_BUFFER_TRANSFER, buffer, []);
}

function rbcEnqueueChunkToQueue(c, buffer, byteOffset, byteLength) {
  c.queue.push({ buffer, byteOffset, byteLength });
  c.queueTotalSize += byteLength;
}

function rbcEnqueueClonedChunkToQueue(c, buffer, byteOffset, byteLength) {
  let clone;
  try {
    clone = buffer.slice(byteOffset, byteOffset + byteLength);
  } catch (e) {
    rbcError(c, e);
    throw e;
  }
  rbcEnqueueChunkToQueue(c, clone, 0, byteLength);
}

function rbcEnqueueDetachedPullIntoToQueue(c, pullInto) {
  if (pullInto.bytesFilled > 0) {
    rbcEnqueueClonedChunkToQueue(c, pullInto.buffer, pullInto.byteOffset, pullInto.bytesFilled);
  }
  rbcShiftPendingPullInto(c);
}

function rbcShiftPendingPullInto(c) {
  return c.pendingPullIntos.shift();
}

function rbcEnqueue(c, chunk) {
  const s = c.stream;
  if (c.closeRequested || s.state !== 'readable') {
    return;
  }
  const buffer = chunk.buffer;
  const byteOffset = chunk.byteOffset;
  const byteLength = chunk.byteLength;
  if (isDetachedBuffer(buffer)) {
    throw new TypeError("The chunk's buffer is detached and so cannot be enqueued");
  }
  const transferred = transferArrayBuffer(buffer);
  if (c.pendingPullIntos.length > 0) {
    const first = c.pendingPullIntos[0];
    if (isDetachedBuffer(first.buffer)) {
      throw new TypeError("The BYOB request's buffer has been detached and so cannot be filled with an enqueued chunk");
    }
    rbcInvalidateByobRequest(c);
    first.buffer = transferArrayBuffer(first.buffer);
    if (first.readerType === 'none') {
      rbcEnqueueDetachedPullIntoToQueue(c, first);
    }
  }
  if (rsHasDefaultReader(s)) {
    rbcProcessReadRequestsUsingQueue(c);
    if (rsNumRequests(s) === 0) {
      rbcEnqueueChunkToQueue(c, transferred, byteOffset, byteLength);
    } else {
      if (c.pendingPullIntos.length > 0) {
        rbcShiftPendingPullInto(c);
      }
      rsFulfillReadRequest(s, new Uint8Array(transferred, byteOffset, byteLength), false);
    }
  } else if (rsHasByobReader(s)) {
    rbcEnqueueChunkToQueue(c, transferred, byteOffset, byteLength);
    const filled = rbcProcessPullIntoDescriptorsUsingQueue(c);
    for (const p of filled) {
      rbcCommitPullIntoDescriptor(s, p);
    }
  } else {
    rbcEnqueueChunkToQueue(c, transferred, byteOffset, byteLength);
  }
  rbcCallPullIfNeeded(c);
}

function rbcProcessReadRequestsUsingQueue(c) {
  const reader = c.stream.reader;
  while (reader.requests.length > 0) {
    if (c.queueTotalSize === 0) {
      return;
    }
    rbcFillReadRequestFromQueue(c, reader.requests.shift());
  }
}

function rbcFillReadRequestFromQueue(c, request) {
  const entry = c.queue.shift();
  c.queueTotalSize -= entry.byteLength;
  rbcHandleQueueDrain(c);
  request.chunkSteps(new Uint8Array(entry.buffer, entry.byteOffset, entry.byteLength));
}

function rbcHandleQueueDrain(c) {
  if (c.queueTotalSize === 0 && c.closeRequested) {
    rbcClearAlgorithms(c);
    rsClose(c.stream);
  } else {
    rbcCallPullIfNeeded(c);
  }
}

function rbcFillPullIntoDescriptorFromQueue(c, p) {
  const maxBytesToCopy = Math.min(c.queueTotalSize, p.byteLength - p.bytesFilled);
  const maxBytesFilled = p.bytesFilled + maxBytesToCopy;
  let remaining = maxBytesToCopy;
  let ready = false;
  const maxAlignedBytes = maxBytesFilled - (maxBytesFilled % p.elementSize);
  if (maxAlignedBytes >= p.minimumFill) {
    remaining = maxAlignedBytes - p.bytesFilled;
    ready = true;
  }
  while (remaining > 0) {
    const head = c.queue.peek();
    const n = Math.min(remaining, head.byteLength);
    const destStart = p.byteOffset + p.bytesFilled;
    new Uint8Array(p.buffer, destStart, n).set(new Uint8Array(head.buffer, head.byteOffset, n));
    if (head.byteLength === n) {
      c.queue.shift();
    } else {
      head.byteOffset += n;
      head.byteLength -= n;
    }
    c.queueTotalSize -= n;
    p.bytesFilled += n;
    remaining -= n;
  }
  return ready;
}

function rbcConvertPullIntoDescriptor(p) {
  const buffer = transferArrayBuffer(p.buffer);
  const ctor = p.viewConstructor;
  return new ctor(buffer, p.byteOffset, p.bytesFilled / p.elementSize);
}

function rbcCommitPullIntoDescriptor(s, p) {
  const done = s.state === 'closed';
  const view = rbcConvertPullIntoDescriptor(p);
  if (p.readerType === 'default') {
    rsFulfillReadRequest(s, view, done);
  } else {
    rsFulfillReadIntoRequest(s, view, done);
  }
}

function rbcProcessPullIntoDescriptorsUsingQueue(c) {
  const filled = [];
  while (c.pendingPullIntos.length > 0) {
    if (c.queueTotalSize === 0) {
      break;
    }
    const p = c.pendingPullIntos[0];
    if (rbcFillPullIntoDescriptorFromQueue(c, p)) {
      rbcShiftPendingPullInto(c);
      filled.push(p);
    } else {
      break;
    }
  }
  return filled;
}

function viewElementSize(view) {
  return view instanceof DataView ? 1 : view.BYTES_PER_ELEMENT;
}

function rbcPullInto(c, view, min, request) {
  const s = c.stream;
  let elementSize = 1;
  let ctor = DataView;
  if (!(view instanceof DataView)) {
    elementSize = view.BYTES_PER_ELEMENT;
    ctor = view.constructor;
  }
  const minimumFill = min * elementSize;
  const byteOffset = view.byteOffset;
  const byteLength = view.byteLength;
  let buffer;
  try {
    buffer = transferArrayBuffer(view.buffer);
  } catch (e) {
    request.errorSteps(e);
    return;
  }
  const p = {
    buffer, bufferByteLength: buffer.byteLength, byteOffset, byteLength, bytesFilled: 0, minimumFill,
    elementSize, viewConstructor: ctor, readerType: 'byob',
  };
  if (c.pendingPullIntos.length > 0) {
    c.pendingPullIntos.push(p);
    s.reader.requests.push(request);
    return;
  }
  if (s.state === 'closed') {
    request.closeSteps(new ctor(p.buffer, p.byteOffset, 0));
    return;
  }
  if (c.queueTotalSize > 0) {
    if (rbcFillPullIntoDescriptorFromQueue(c, p)) {
      const filledView = rbcConvertPullIntoDescriptor(p);
      rbcHandleQueueDrain(c);
      request.chunkSteps(filledView);
      return;
    }
    if (c.closeRequested) {
      const e = new TypeError('Insufficient bytes to fill elements in the given buffer');
      rbcError(c, e);
      request.errorSteps(e);
      return;
    }
  }
  c.pendingPullIntos.push(p);
  s.reader.requests.push(request);
  rbcCallPullIfNeeded(c);
}

function rbcRespond(c, bytesWritten) {
  const first = c.pendingPullIntos[0];
  if (c.stream.state === 'closed') {
    if (bytesWritten !== 0) {
      throw new TypeError('bytesWritten must be 0 when calling respond() on a closed stream');
    }
  } else {
    if (bytesWritten === 0) {
      throw new TypeError('bytesWritten must be greater than 0 when calling respond() on a readable stream');
    }
    if (first.bytesFilled + bytesWritten > first.byteLength) {
      throw new RangeError('bytesWritten out of range');
    }
  }
  first.buffer = transferArrayBuffer(first.buffer);
  rbcRespondInternal(c, bytesWritten);
}

function rbcRespondInternal(c, bytesWritten) {
  const first = c.pendingPullIntos[0];
  rbcInvalidateByobRequest(c);
  if (c.stream.state === 'closed') {
    rbcRespondInClosedState(c, first);
  } else {
    rbcRespondInReadableState(c, bytesWritten, first);
  }
  rbcCallPullIfNeeded(c);
}

function rbcRespondInClosedState(c, first) {
  if (first.readerType === 'none') {
    rbcShiftPendingPullInto(c);
  }
  const s = c.stream;
  if (rsHasByobReader(s)) {
    const filled = [];
    while (filled.length < rsNumRequests(s)) {
      filled.push(rbcShiftPendingPullInto(c));
    }
    for (const p of filled) {
      rbcCommitPullIntoDescriptor(s, p);
    }
  }
}

function rbcRespondInReadableState(c, bytesWritten, p) {
  p.bytesFilled += bytesWritten;
  const s = c.stream;
  if (p.readerType === 'none') {
    rbcEnqueueDetachedPullIntoToQueue(c, p);
    for (const f of rbcProcessPullIntoDescriptorsUsingQueue(c)) {
      rbcCommitPullIntoDescriptor(s, f);
    }
    return;
  }
  if (p.bytesFilled < p.minimumFill) {
    return;
  }
  rbcShiftPendingPullInto(c);
  const remainder = p.bytesFilled % p.elementSize;
  if (remainder > 0) {
    const end = p.byteOffset + p.bytesFilled;
    rbcEnqueueClonedChunkToQueue(c, p.buffer, end - remainder, remainder);
  }
  p.bytesFilled -= remainder;
  const filled = rbcProcessPullIntoDescriptorsUsingQueue(c);
  rbcCommitPullIntoDescriptor(s, p);
  for (const f of filled) {
    rbcCommitPullIntoDescriptor(s, f);
  }
}

function rbcRespondWithNewView(c, view) {
  const first = c.pendingPullIntos[0];
  if (c.stream.state === 'closed') {
    if (view.byteLength !== 0) {
      throw new TypeError("The view's length must be 0 when calling respondWithNewView() on a closed stream");
    }
  } else if (view.byteLength === 0) {
    throw new TypeError("The view's length must be greater than 0 when calling respondWithNewView() on a readable stream");
  }
  if (first.byteOffset + first.bytesFilled !== view.byteOffset) {
    throw new RangeError('The region specified by view does not match byobRequest');
  }
  if (first.bufferByteLength !== view.buffer.byteLength) {
    throw new RangeError('The buffer of view has different capacity than byobRequest');
  }
  if (first.bytesFilled + view.byteLength > first.byteLength) {
    throw new RangeError('The region specified by view is larger than byobRequest');
  }
  const viewByteLength = view.byteLength;
  first.buffer = transferArrayBuffer(view.buffer);
  rbcRespondInternal(c, viewByteLength);
}

function rbcGetByobRequest(c) {
  if (c.byobRequest === null && c.pendingPullIntos.length > 0) {
    const first = c.pendingPullIntos[0];
    const view = new Uint8Array(first.buffer, first.byteOffset + first.bytesFilled, first.byteLength - first.bytesFilled);
    c.byobRequest = new ByobRequestRecord(c, view);
  }
  return c.byobRequest;
}

function rbcCancelSteps(c, reason) {
  rbcClearPendingPullIntos(c);
  queueReset(c);
  const result = c.cancelAlgorithm(reason);
  rbcClearAlgorithms(c);
  return result;
}

function rbcPullSteps(c, request) {
  const s = c.stream;
  if (c.queueTotalSize > 0) {
    rbcFillReadRequestFromQueue(c, request);
    return;
  }
  const size = c.autoAllocateChunkSize;
  if (size !== undefined) {
    let buffer;
    try {
      buffer = new ArrayBuffer(size);
    } catch (e) {
      request.errorSteps(e);
      return;
    }
    c.pendingPullIntos.push({
      buffer, bufferByteLength: size, byteOffset: 0, byteLength: size, bytesFilled: 0, minimumFill: 1,
      elementSize: 1, viewConstructor: Uint8Array, readerType: 'default',
    });
  }
  s.reader.requests.push(request);
  rbcCallPullIfNeeded(c);
}

function rbcReleaseSteps(c) {
  if (c.pendingPullIntos.length > 0) {
    const first = c.pendingPullIntos[0];
    first.readerType = 'none';
    c.pendingPullIntos = [first];
  }
}

function setUpByteController(s, c, startAlgorithm, pullAlgorithm, cancelAlgorithm, hwm, autoAllocateChunkSize) {
  c.stream = s;
  c.hwm = hwm;
  c.pullAlgorithm = pullAlgorithm;
  c.cancelAlgorithm = cancelAlgorithm;
  c.autoAllocateChunkSize = autoAllocateChunkSize;
  s.controller = c;
  const startResult = startAlgorithm();
  promiseResolvedWith(startResult).then(() => {
    c.started = true;
    rbcCallPullIfNeeded(c);
  }, (r) => rbcError(c, r));
}

function resolvedUndefinedAlgorithm() {
  return Promise.resolve(undefined);
}

// CreateReadableStream: a default stream driven by prelude algorithms. Returns the record; `.obj` is the stream.
function createReadableStream(startAlgorithm, pullAlgorithm, cancelAlgorithm, hwm = 1, sizeAlgorithm = streamSizeOne) {
  const s = new ReadableStreamRecord();
  new ReadableStream(INTERNAL, s);
  setUpDefaultController(s, new DefaultControllerRecord(), startAlgorithm, pullAlgorithm || resolvedUndefinedAlgorithm,
    cancelAlgorithm || resolvedUndefinedAlgorithm, hwm, sizeAlgorithm);
  return s;
}

// CreateReadableByteStream.
function createReadableByteStream(startAlgorithm, pullAlgorithm, cancelAlgorithm, hwm = 0) {
  const s = new ReadableStreamRecord();
  new ReadableStream(INTERNAL, s);
  setUpByteController(s, new ByteControllerRecord(), startAlgorithm, pullAlgorithm || resolvedUndefinedAlgorithm,
    cancelAlgorithm || resolvedUndefinedAlgorithm, hwm, undefined);
  return s;
}

// ---- public classes

let readableStreamRecord; // (ReadableStream) -> record; throws a TypeError for other objects
let isReadableStream;

class ReadableStreamDefaultController {
  #c;

  constructor(key, record) {
    if (key !== INTERNAL) {
      illegalConstructor();
    }
    this.#c = record;
    record.obj = this;
  }

  get desiredSize() {
    return rdcDesiredSize(this.#c);
  }

  close() {
    const c = this.#c;
    if (!rdcCanCloseOrEnqueue(c)) {
      throw new TypeError('The stream is not in a state that permits close');
    }
    rdcClose(c);
  }

  enqueue(chunk = undefined) {
    const c = this.#c;
    if (!rdcCanCloseOrEnqueue(c)) {
      throw new TypeError('The stream is not in a state that permits enqueue');
    }
    rdcEnqueue(c, chunk);
  }

  error(e = undefined) {
    rdcError(this.#c, e);
  }
}

function byobRequestObject(record) {
  if (record === null) {
    return null;
  }
  if (record.obj === null) {
    record.obj = new ReadableStreamBYOBRequest(INTERNAL, record);
  }
  return record.obj;
}

class ReadableByteStreamController {
  #c;

  constructor(key, record) {
    if (key !== INTERNAL) {
      illegalConstructor();
    }
    this.#c = record;
    record.obj = this;
  }

  get byobRequest() {
    return byobRequestObject(rbcGetByobRequest(this.#c));
  }

  get desiredSize() {
    return rbcDesiredSize(this.#c);
  }

  close() {
    const c = this.#c;
    if (c.closeRequested) {
      throw new TypeError('The stream has already been closed; do not close it again!');
    }
    if (c.stream.state !== 'readable') {
      throw new TypeError('The stream (in ' + c.stream.state + ' state) is not in the readable state and cannot be closed');
    }
    rbcClose(c);
  }

  enqueue(chunk) {
    const c = this.#c;
    if (!ArrayBuffer.isView(chunk)) {
      throw new TypeError("Failed to execute 'enqueue' on 'ReadableByteStreamController': parameter 1 is not of type 'ArrayBufferView'.");
    }
    if (!(chunk.buffer instanceof ArrayBuffer)) {
      throw new TypeError("chunk's buffer must be an ArrayBuffer");
    }
    if (chunk.byteLength === 0) {
      throw new TypeError('chunk must have non-zero byteLength');
    }
    if (chunk.buffer.byteLength === 0) {
      throw new TypeError("chunk's buffer must have non-zero byteLength");
    }
    if (c.closeRequested) {
      throw new TypeError('stream is closed or draining');
    }
    if (c.stream.state !== 'readable') {
      throw new TypeError('The stream (in ' + c.stream.state + ' state) is not in the readable state and cannot be enqueued to');
    }
    rbcEnqueue(c, chunk);
  }

  error(e = undefined) {
    rbcError(this.#c, e);
  }
}

class ReadableStreamBYOBRequest {
  #r;

  constructor(key, record) {
    if (key !== INTERNAL) {
      illegalConstructor();
    }
    this.#r = record;
  }

  get view() {
    return this.#r.view;
  }

  respond(bytesWritten) {
    const r = this.#r;
    bytesWritten = enforceRangeUnsigned(bytesWritten, 'respond', 'bytesWritten');
    if (r.controller === null) {
      throw new TypeError('This BYOB request has been invalidated');
    }
    if (isDetachedBuffer(r.view.buffer)) {
      throw new TypeError("The BYOB request's buffer has been detached and so cannot be used as a response");
    }
    rbcRespond(r.controller, bytesWritten);
  }

  respondWithNewView(view) {
    const r = this.#r;
    if (!ArrayBuffer.isView(view)) {
      throw new TypeError("Failed to execute 'respondWithNewView' on 'ReadableStreamBYOBRequest': parameter 1 is not of type 'ArrayBufferView'.");
    }
    if (r.controller === null) {
      throw new TypeError('This BYOB request has been invalidated');
    }
    if (isDetachedBuffer(view.buffer)) {
      throw new TypeError("The given view's buffer has been detached and so cannot be used as a response");
    }
    rbcRespondWithNewView(r.controller, view);
  }
}

// Web IDL [EnforceRange] unsigned long long.
function enforceRangeUnsigned(value, method, name) {
  const n = Number(value);
  if (!Number.isFinite(n)) {
    throw new TypeError("Failed to execute '" + method + "': " + name + ' is not a finite number.');
  }
  const t = Math.trunc(n);
  if (t < 0 || t > Number.MAX_SAFE_INTEGER) {
    throw new TypeError("Failed to execute '" + method + "': " + name + ' is outside the accepted range.');
  }
  return t;
}

class ReadableStreamDefaultReader {
  #r;

  constructor(stream) {
    const reader = acquireDefaultReader(readableStreamRecord(stream));
    reader.obj = this;
    this.#r = reader;
  }

  get closed() {
    return this.#r.closed.promise;
  }

  read() {
    let reader;
    try {
      reader = this.#r;
    } catch (e) {
      return Promise.reject(illegalInvocation('ReadableStreamDefaultReader'));
    }
    if (reader.stream === null) {
      return Promise.reject(new TypeError(READER_RELEASED));
    }
    const d = new StreamDeferred();
    defaultReaderRead(reader, promiseReadRequest(d));
    return d.promise;
  }

  cancel(reason = undefined) {
    const reader = this.#r;
    if (reader.stream === null) {
      return Promise.reject(new TypeError(READER_RELEASED));
    }
    return rsCancel(reader.stream, reason);
  }

  releaseLock() {
    const reader = this.#r;
    if (reader.stream !== null) {
      readerRelease(reader);
    }
  }
}

class ReadableStreamBYOBReader {
  #r;

  constructor(stream) {
    const reader = acquireByobReader(readableStreamRecord(stream));
    reader.obj = this;
    this.#r = reader;
  }

  get closed() {
    return this.#r.closed.promise;
  }

  read(view, options = undefined) {
    let reader;
    try {
      reader = this.#r;
    } catch (e) {
      return Promise.reject(illegalInvocation('ReadableStreamBYOBReader'));
    }
    if (!ArrayBuffer.isView(view)) {
      return Promise.reject(new TypeError("Failed to execute 'read' on 'ReadableStreamBYOBReader': parameter 1 is not of type 'ArrayBufferView'."));
    }
    let min = 1;
    try {
      if (options !== undefined && options !== null && options.min !== undefined) {
        min = enforceRangeUnsigned(options.min, 'read', 'min');
      }
    } catch (e) {
      return Promise.reject(e);
    }
    if (!(view.buffer instanceof ArrayBuffer)) {
      return Promise.reject(new TypeError("view's buffer must be an ArrayBuffer"));
    }
    if (view.byteLength === 0) {
      return Promise.reject(new TypeError('view must have non-zero byteLength'));
    }
    if (view.buffer.byteLength === 0) {
      return Promise.reject(new TypeError("view's buffer must have non-zero byteLength"));
    }
    if (isDetachedBuffer(view.buffer)) {
      return Promise.reject(new TypeError("view's buffer has been detached"));
    }
    if (min === 0) {
      return Promise.reject(new TypeError('options.min must be greater than 0'));
    }
    if (view instanceof DataView) {
      if (min > view.byteLength) {
        return Promise.reject(new RangeError('options.min must be less than or equal to view\'s byteLength'));
      }
    } else if (min > view.length) {
      return Promise.reject(new RangeError('options.min must be less than or equal to view\'s length'));
    }
    if (reader.stream === null) {
      return Promise.reject(new TypeError(READER_RELEASED));
    }
    const d = new StreamDeferred();
    byobReaderRead(reader, view, min, promiseReadRequest(d));
    return d.promise;
  }

  // Workers' extension: read until at least `minBytes` bytes are in `view` (or the stream ends).
  readAtLeast(minBytes, view) {
    if (!ArrayBuffer.isView(view)) {
      return Promise.reject(new TypeError("Failed to execute 'readAtLeast' on 'ReadableStreamBYOBReader': parameter 2 is not of type 'ArrayBufferView'."));
    }
    let min;
    try {
      min = enforceRangeUnsigned(minBytes, 'readAtLeast', 'minBytes');
    } catch (e) {
      return Promise.reject(e);
    }
    const elementSize = viewElementSize(view);
    if (min === 0 || min > view.byteLength || min % elementSize !== 0) {
      return Promise.reject(new TypeError('minBytes must be greater than 0, at most the view\'s byteLength, and a multiple of its element size.'));
    }
    return this.read(view, { min: min / elementSize });
  }

  cancel(reason = undefined) {
    const reader = this.#r;
    if (reader.stream === null) {
      return Promise.reject(new TypeError(READER_RELEASED));
    }
    return rsCancel(reader.stream, reason);
  }

  releaseLock() {
    const reader = this.#r;
    if (reader.stream !== null) {
      readerRelease(reader);
    }
  }
}

// The UnderlyingSource dictionary, members in Web IDL's (alphabetical) order.
function underlyingSourceFromInit(source) {
  const what = "Failed to construct 'ReadableStream'";
  let autoAllocateChunkSize = source.autoAllocateChunkSize;
  if (autoAllocateChunkSize !== undefined) {
    autoAllocateChunkSize = enforceRangeUnsigned(autoAllocateChunkSize, 'ReadableStream', 'autoAllocateChunkSize');
  }
  const cancel = streamCallbackMember(source, 'cancel', what);
  const pull = streamCallbackMember(source, 'pull', what);
  const start = streamCallbackMember(source, 'start', what);
  let type = source.type;
  if (type !== undefined) {
    type = String(type);
    if (type !== 'bytes') {
      throw new TypeError(what + ": '" + type + "' is not a valid value for type.");
    }
  }
  return { autoAllocateChunkSize, cancel, pull, start, type };
}

class ReadableStream {
  #s;

  static {
    readableStreamRecord = (stream) => {
      if (stream === null || typeof stream !== 'object' || !(#s in stream)) {
        throw new TypeError('The argument is not a ReadableStream.');
      }
      return stream.#s;
    };
    isReadableStream = (x) => x !== null && typeof x === 'object' && #s in x;
  }

  constructor(underlyingSource = undefined, strategy = undefined) {
    if (underlyingSource === INTERNAL) {
      this.#s = strategy;
      strategy.obj = this;
      return;
    }
    if (underlyingSource !== undefined && underlyingSource !== null
        && typeof underlyingSource !== 'object' && typeof underlyingSource !== 'function') {
      throw new TypeError("Failed to construct 'ReadableStream': The provided value is not of type 'UnderlyingSource'.");
    }
    const strategyDict = strategyFromInit(strategy, "Failed to construct 'ReadableStream'");
    const source = underlyingSource === undefined || underlyingSource === null ? null : underlyingSource;
    const dict = source === null ? {} : underlyingSourceFromInit(source);
    const s = new ReadableStreamRecord();
    s.obj = this;
    this.#s = s;
    const start = dict.start === undefined ? () => undefined : (c) => Reflect.apply(dict.start, source, [c]);
    const pull = dict.pull === undefined ? resolvedUndefinedAlgorithm : (c) => promiseCall(dict.pull, source, [c]);
    const cancel = dict.cancel === undefined ? resolvedUndefinedAlgorithm : (r) => promiseCall(dict.cancel, source, [r]);
    if (dict.type === 'bytes') {
      if (strategyDict.size !== undefined) {
        throw new RangeError('The strategy for a byte stream cannot have a size function');
      }
      const hwm = extractHighWaterMark(strategyDict, 0);
      if (dict.autoAllocateChunkSize === 0) {
        throw new TypeError('autoAllocateChunkSize must be greater than 0');
      }
      const c = new ByteControllerRecord();
      const controller = new ReadableByteStreamController(INTERNAL, c);
      setUpByteController(s, c, () => start(controller), () => pull(controller), cancel, hwm, dict.autoAllocateChunkSize);
    } else {
      const sizeAlgorithm = extractSizeAlgorithm(strategyDict);
      const hwm = extractHighWaterMark(strategyDict, 1);
      const c = new DefaultControllerRecord();
      const controller = new ReadableStreamDefaultController(INTERNAL, c);
      setUpDefaultController(s, c, () => start(controller), () => pull(controller), cancel, hwm, sizeAlgorithm);
    }
  }

  static from(asyncIterable) {
    return readableStreamFromIterable(asyncIterable).obj;
  }

  get locked() {
    return rsIsLocked(this.#s);
  }

  cancel(reason = undefined) {
    let s;
    try {
      s = this.#s;
    } catch (e) {
      return Promise.reject(illegalInvocation('ReadableStream'));
    }
    if (rsIsLocked(s)) {
      return Promise.reject(new TypeError(STREAM_LOCKED));
    }
    return rsCancel(s, reason);
  }

  getReader(options = undefined) {
    const s = this.#s;
    let mode;
    if (options !== undefined && options !== null) {
      if (typeof options !== 'object' && typeof options !== 'function') {
        throw new TypeError("Failed to execute 'getReader' on 'ReadableStream': The provided value is not of type 'ReadableStreamGetReaderOptions'.");
      }
      mode = options.mode;
    }
    if (mode === undefined) {
      return new ReadableStreamDefaultReader(this);
    }
    mode = String(mode);
    if (mode !== 'byob') {
      throw new TypeError("Failed to execute 'getReader' on 'ReadableStream': '" + mode + "' is not a valid value for mode.");
    }
    return new ReadableStreamBYOBReader(this);
  }

  pipeThrough(transform, options = undefined) {
    const s = this.#s;
    if (transform === null || (typeof transform !== 'object' && typeof transform !== 'function')) {
      throw new TypeError("Failed to execute 'pipeThrough' on 'ReadableStream': parameter 1 is not of type 'ReadableWritablePair'.");
    }
    const readable = transform.readable;
    if (!isReadableStream(readable)) {
      throw new TypeError("Failed to execute 'pipeThrough' on 'ReadableStream': readable is not a ReadableStream.");
    }
    const writable = transform.writable;
    if (!isWritableStream(writable)) {
      throw new TypeError("Failed to execute 'pipeThrough' on 'ReadableStream': writable is not a WritableStream.");
    }
    const opts = pipeOptions(options);
    if (rsIsLocked(s)) {
      throw new TypeError('The ReadableStream is locked and cannot be piped.');
    }
    const dest = writableStreamRecord(writable);
    if (wsIsLocked(dest)) {
      throw new TypeError('The WritableStream is locked and cannot be piped to.');
    }
    const promise = rsPipeTo(s, dest, opts.preventClose, opts.preventAbort, opts.preventCancel, opts.signal);
    markPromiseHandled(promise);
    return readable;
  }

  pipeTo(destination, options = undefined) {
    let s;
    try {
      s = this.#s;
    } catch (e) {
      return Promise.reject(illegalInvocation('ReadableStream'));
    }
    if (!isWritableStream(destination)) {
      return Promise.reject(new TypeError("Failed to execute 'pipeTo' on 'ReadableStream': parameter 1 is not of type 'WritableStream'."));
    }
    let opts;
    try {
      opts = pipeOptions(options);
    } catch (e) {
      return Promise.reject(e);
    }
    if (rsIsLocked(s)) {
      return Promise.reject(new TypeError('The ReadableStream is locked and cannot be piped.'));
    }
    const dest = writableStreamRecord(destination);
    if (wsIsLocked(dest)) {
      return Promise.reject(new TypeError('The WritableStream is locked and cannot be piped to.'));
    }
    return rsPipeTo(s, dest, opts.preventClose, opts.preventAbort, opts.preventCancel, opts.signal);
  }

  tee() {
    const [a, b] = rsTee(this.#s);
    return [a.obj, b.obj];
  }

  values(options = undefined) {
    const s = this.#s;
    let preventCancel = false;
    if (options !== undefined && options !== null) {
      preventCancel = !!options.preventCancel;
    }
    return new ReadableStreamAsyncIterator(INTERNAL, acquireDefaultReader(s), preventCancel);
  }
}
// Web IDL: @@asyncIterator is the same function as values().
Object.defineProperty(ReadableStream.prototype, Symbol.asyncIterator, {
  value: ReadableStream.prototype.values, writable: true, configurable: true, enumerable: false,
});

// ---- async iteration

const AsyncIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype);
const ITERATION_END = Symbol('end');

class ReadableStreamAsyncIterator {
  #reader;
  #preventCancel;
  #ongoing = null;
  #finished = false;

  constructor(key, reader, preventCancel) {
    if (key !== INTERNAL) {
      illegalConstructor();
    }
    this.#reader = reader;
    this.#preventCancel = preventCancel;
  }

  #nextResult() {
    const reader = this.#reader;
    const d = new StreamDeferred();
    defaultReaderRead(reader, {
      chunkSteps: (chunk) => d.resolve(chunk),
      closeSteps: () => {
        readerRelease(reader);
        d.resolve(ITERATION_END);
      },
      errorSteps: (e) => {
        readerRelease(reader);
        d.reject(e);
      },
    });
    return d.promise;
  }

  next() {
    let ongoing;
    try {
      ongoing = this.#ongoing;
    } catch (e) {
      return Promise.reject(illegalInvocation('ReadableStream async iterator'));
    }
    const nextSteps = () => {
      if (this.#finished) {
        return Promise.resolve({ value: undefined, done: true });
      }
      if (this.#reader.stream === null) {
        return Promise.reject(new TypeError('Cannot iterate a stream using a released reader'));
      }
      return this.#nextResult().then((value) => {
        this.#ongoing = null;
        if (value === ITERATION_END) {
          this.#finished = true;
          return { value: undefined, done: true };
        }
        return { value, done: false };
      }, (reason) => {
        this.#ongoing = null;
        this.#finished = true;
        throw reason;
      });
    };
    this.#ongoing = ongoing !== null ? ongoing.then(nextSteps, nextSteps) : nextSteps();
    return this.#ongoing;
  }

  return(value = undefined) {
    let ongoing;
    try {
      ongoing = this.#ongoing;
    } catch (e) {
      return Promise.reject(illegalInvocation('ReadableStream async iterator'));
    }
    const returnSteps = () => {
      if (this.#finished) {
        return Promise.resolve({ value, done: true });
      }
      this.#finished = true;
      const reader = this.#reader;
      if (reader.stream === null) {
        return Promise.resolve({ value, done: true });
      }
      if (!this.#preventCancel) {
        const result = rsCancel(reader.stream, value);
        readerRelease(reader);
        return result.then(() => ({ value, done: true }));
      }
      readerRelease(reader);
      return Promise.resolve({ value, done: true });
    };
    const result = ongoing !== null ? ongoing.then(returnSteps, returnSteps) : returnSteps();
    return result.then(() => ({ value, done: true }));
  }
}
Object.setPrototypeOf(ReadableStreamAsyncIterator.prototype, AsyncIteratorPrototype);
Object.defineProperty(ReadableStreamAsyncIterator.prototype, Symbol.toStringTag, {
  value: 'ReadableStream AsyncIterator', configurable: true,
});

// ---- ReadableStream.from

function readableStreamFromIterable(iterable) {
  if (iterable === null || iterable === undefined) {
    throw new TypeError("Failed to execute 'from' on 'ReadableStream': the argument is not iterable.");
  }
  let method = iterable[Symbol.asyncIterator];
  let iterator;
  if (method === undefined || method === null) {
    const syncMethod = iterable[Symbol.iterator];
    if (typeof syncMethod !== 'function') {
      throw new TypeError("Failed to execute 'from' on 'ReadableStream': the argument is not iterable.");
    }
    iterator = asyncFromSyncIterator(Reflect.apply(syncMethod, iterable, []));
  } else {
    if (typeof method !== 'function') {
      throw new TypeError("Failed to execute 'from' on 'ReadableStream': Symbol.asyncIterator is not a function.");
    }
    iterator = Reflect.apply(method, iterable, []);
    if (iterator === null || (typeof iterator !== 'object' && typeof iterator !== 'function')) {
      throw new TypeError('The async iterator is not an object.');
    }
  }
  const nextMethod = iterator.next;
  let s;
  const pull = () => {
    let nextResult;
    try {
      nextResult = Reflect.apply(nextMethod, iterator, []);
    } catch (e) {
      return Promise.reject(e);
    }
    return promiseResolvedWith(nextResult).then((result) => {
      if (result === null || (typeof result !== 'object' && typeof result !== 'function')) {
        throw new TypeError('The promise returned by the iterator.next() method must fulfill with an object');
      }
      if (result.done) {
        rdcClose(s.controller);
      } else {
        rdcEnqueue(s.controller, result.value);
      }
    });
  };
  const cancel = (reason) => {
    let returnResult;
    try {
      const returnMethod = iterator.return;
      if (returnMethod === undefined || returnMethod === null) {
        return Promise.resolve(undefined);
      }
      if (typeof returnMethod !== 'function') {
        throw new TypeError('iterator.return is not a function');
      }
      returnResult = Reflect.apply(returnMethod, iterator, [reason]);
    } catch (e) {
      return Promise.reject(e);
    }
    return promiseResolvedWith(returnResult).then((result) => {
      if (result === null || (typeof result !== 'object' && typeof result !== 'function')) {
        throw new TypeError('The promise returned by the iterator.return() method must fulfill with an object');
      }
    });
  };
  s = createReadableStream(() => undefined, pull, cancel, 0);
  return s;
}

// CreateAsyncFromSyncIterator: awaits each value of a sync iterator.
function asyncFromSyncIterator(syncIterator) {
  const next = syncIterator.next;
  const wrap = (result) => {
    if (result === null || (typeof result !== 'object' && typeof result !== 'function')) {
      throw new TypeError('The iterator result is not an object');
    }
    const done = !!result.done;
    return promiseResolvedWith(result.value).then((value) => ({ value, done }));
  };
  return {
    next() {
      return wrap(Reflect.apply(next, syncIterator, []));
    },
    get return() {
      const ret = syncIterator.return;
      if (ret === undefined || ret === null) {
        return undefined;
      }
      return (value) => wrap(Reflect.apply(ret, syncIterator, [value]));
    },
  };
}

// ---- tee

function rsTee(s) {
  return s.controller.kind === 'byte' ? rsByteTee(s) : rsDefaultTee(s);
}

function rsDefaultTee(s) {
  const reader = acquireDefaultReader(s);
  let reading = false;
  let readAgain = false;
  let canceled1 = false;
  let canceled2 = false;
  let reason1;
  let reason2;
  let branch1;
  let branch2;
  const cancelDone = new StreamDeferred();
  const pull = () => {
    if (reading) {
      readAgain = true;
      return Promise.resolve(undefined);
    }
    reading = true;
    defaultReaderRead(reader, {
      chunkSteps: (chunk) => streamMicrotask(() => {
        readAgain = false;
        if (!canceled1) {
          rdcEnqueue(branch1.controller, chunk);
        }
        if (!canceled2) {
          rdcEnqueue(branch2.controller, chunk);
        }
        reading = false;
        if (readAgain) {
          pull();
        }
      }),
      closeSteps: () => {
        reading = false;
        if (!canceled1) {
          rdcClose(branch1.controller);
        }
        if (!canceled2) {
          rdcClose(branch2.controller);
        }
        if (!canceled1 || !canceled2) {
          cancelDone.resolve(undefined);
        }
      },
      errorSteps: () => {
        reading = false;
      },
    });
    return Promise.resolve(undefined);
  };
  const cancel1 = (reason) => {
    canceled1 = true;
    reason1 = reason;
    if (canceled2) {
      cancelDone.resolve(rsCancel(s, [reason1, reason2]));
    }
    return cancelDone.promise;
  };
  const cancel2 = (reason) => {
    canceled2 = true;
    reason2 = reason;
    if (canceled1) {
      cancelDone.resolve(rsCancel(s, [reason1, reason2]));
    }
    return cancelDone.promise;
  };
  branch1 = createReadableStream(() => undefined, pull, cancel1);
  branch2 = createReadableStream(() => undefined, pull, cancel2);
  reader.closed.promise.then(undefined, (r) => {
    rdcError(branch1.controller, r);
    rdcError(branch2.controller, r);
    if (!canceled1 || !canceled2) {
      cancelDone.resolve(undefined);
    }
  });
  return [branch1, branch2];
}

function cloneAsUint8Array(view) {
  return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

function rsByteTee(s) {
  let reader = acquireDefaultReader(s);
  let reading = false;
  let readAgainForBranch1 = false;
  let readAgainForBranch2 = false;
  let canceled1 = false;
  let canceled2 = false;
  let reason1;
  let reason2;
  let branch1;
  let branch2;
  const cancelDone = new StreamDeferred();

  const forwardReaderError = (thisReader) => {
    thisReader.closed.promise.then(undefined, (r) => {
      if (thisReader !== reader) {
        return;
      }
      rbcError(branch1.controller, r);
      rbcError(branch2.controller, r);
      if (!canceled1 || !canceled2) {
        cancelDone.resolve(undefined);
      }
    });
  };

  const cloneOrFail = (chunk) => {
    try {
      return cloneAsUint8Array(chunk);
    } catch (e) {
      rbcError(branch1.controller, e);
      rbcError(branch2.controller, e);
      cancelDone.resolve(rsCancel(s, e));
      return null;
    }
  };

  const pullWithDefaultReader = () => {
    if (reader.kind === 'byob') {
      readerRelease(reader);
      reader = acquireDefaultReader(s);
      forwardReaderError(reader);
    }
    defaultReaderRead(reader, {
      chunkSteps: (chunk) => streamMicrotask(() => {
        readAgainForBranch1 = false;
        readAgainForBranch2 = false;
        let chunk2 = chunk;
        if (!canceled1 && !canceled2) {
          chunk2 = cloneOrFail(chunk);
          if (chunk2 === null) {
            return;
          }
        }
        if (!canceled1) {
          rbcEnqueue(branch1.controller, chunk);
        }
        if (!canceled2) {
          rbcEnqueue(branch2.controller, chunk2);
        }
        reading = false;
        if (readAgainForBranch1) {
          pull1();
        } else if (readAgainForBranch2) {
          pull2();
        }
      }),
      closeSteps: () => {
        reading = false;
        if (!canceled1) {
          rbcClose(branch1.controller);
        }
        if (!canceled2) {
          rbcClose(branch2.controller);
        }
        if (branch1.controller.pendingPullIntos.length > 0) {
          rbcRespond(branch1.controller, 0);
        }
        if (branch2.controller.pendingPullIntos.length > 0) {
          rbcRespond(branch2.controller, 0);
        }
        if (!canceled1 || !canceled2) {
          cancelDone.resolve(undefined);
        }
      },
      errorSteps: () => {
        reading = false;
      },
    });
  };

  const pullWithByobReader = (view, forBranch2) => {
    if (reader.kind === 'default') {
      readerRelease(reader);
      reader = acquireByobReader(s);
      forwardReaderError(reader);
    }
    const byobBranch = forBranch2 ? branch2 : branch1;
    const otherBranch = forBranch2 ? branch1 : branch2;
    byobReaderRead(reader, view, 1, {
      chunkSteps: (chunk) => streamMicrotask(() => {
        readAgainForBranch1 = false;
        readAgainForBranch2 = false;
        const byobCanceled = forBranch2 ? canceled2 : canceled1;
        const otherCanceled = forBranch2 ? canceled1 : canceled2;
        if (!otherCanceled) {
          const cloned = cloneOrFail(chunk);
          if (cloned === null) {
            return;
          }
          if (!byobCanceled) {
            rbcRespondWithNewView(byobBranch.controller, chunk);
          }
          rbcEnqueue(otherBranch.controller, cloned);
        } else if (!byobCanceled) {
          rbcRespondWithNewView(byobBranch.controller, chunk);
        }
        reading = false;
        if (readAgainForBranch1) {
          pull1();
        } else if (readAgainForBranch2) {
          pull2();
        }
      }),
      closeSteps: (chunk) => {
        reading = false;
        const byobCanceled = forBranch2 ? canceled2 : canceled1;
        const otherCanceled = forBranch2 ? canceled1 : canceled2;
        if (!byobCanceled) {
          rbcClose(byobBranch.controller);
        }
        if (!otherCanceled) {
          rbcClose(otherBranch.controller);
        }
        if (chunk !== undefined) {
          if (!byobCanceled) {
            rbcRespondWithNewView(byobBranch.controller, chunk);
          }
          if (!otherCanceled && otherBranch.controller.pendingPullIntos.length > 0) {
            rbcRespond(otherBranch.controller, 0);
          }
        }
        if (!byobCanceled || !otherCanceled) {
          cancelDone.resolve(undefined);
        }
      },
      errorSteps: () => {
        reading = false;
      },
    });
  };

  const pull1 = () => {
    if (reading) {
      readAgainForBranch1 = true;
      return Promise.resolve(undefined);
    }
    reading = true;
    const request = rbcGetByobRequest(branch1.controller);
    if (request === null) {
      pullWithDefaultReader();
    } else {
      pullWithByobReader(request.view, false);
    }
    return Promise.resolve(undefined);
  };
  const pull2 = () => {
    if (reading) {
      readAgainForBranch2 = true;
      return Promise.resolve(undefined);
    }
    reading = true;
    const request = rbcGetByobRequest(branch2.controller);
    if (request === null) {
      pullWithDefaultReader();
    } else {
      pullWithByobReader(request.view, true);
    }
    return Promise.resolve(undefined);
  };
  const cancel1 = (reason) => {
    canceled1 = true;
    reason1 = reason;
    if (canceled2) {
      cancelDone.resolve(rsCancel(s, [reason1, reason2]));
    }
    return cancelDone.promise;
  };
  const cancel2 = (reason) => {
    canceled2 = true;
    reason2 = reason;
    if (canceled1) {
      cancelDone.resolve(rsCancel(s, [reason1, reason2]));
    }
    return cancelDone.promise;
  };
  branch1 = createReadableByteStream(() => undefined, pull1, cancel1);
  branch2 = createReadableByteStream(() => undefined, pull2, cancel2);
  forwardReaderError(reader);
  return [branch1, branch2];
}

// ---- pipeTo

function pipeSignalIsAbortSignal(x) {
  if (typeof AbortSignal === 'function') {
    return x instanceof AbortSignal;
  }
  return x !== null && typeof x === 'object' && typeof x.addEventListener === 'function' && 'aborted' in x;
}

// Runs `algorithm` when `signal` aborts; returns the function that stops following it. Uses the prelude's abort
// algorithms when abort.js provides them (guest listeners cannot get in the way), else an 'abort' listener.
function pipeFollowSignal(signal, algorithm) {
  if (typeof followSignal === 'function' && typeof removeSignalAlgorithm === 'function') {
    followSignal(signal, algorithm);
    return () => removeSignalAlgorithm(signal, algorithm);
  }
  signal.addEventListener('abort', algorithm);
  return () => signal.removeEventListener('abort', algorithm);
}

// StreamPipeOptions, members in Web IDL's order.
function pipeOptions(options) {
  if (options === undefined || options === null) {
    return { preventAbort: false, preventCancel: false, preventClose: false, signal: undefined };
  }
  if (typeof options !== 'object' && typeof options !== 'function') {
    throw new TypeError('The pipe options must be an object.');
  }
  const preventAbort = !!options.preventAbort;
  const preventCancel = !!options.preventCancel;
  const preventClose = !!options.preventClose;
  const signal = options.signal;
  if (signal !== undefined && !pipeSignalIsAbortSignal(signal)) {
    throw new TypeError("Failed to execute 'pipeTo' on 'ReadableStream': signal is not of type 'AbortSignal'.");
  }
  return { preventAbort, preventCancel, preventClose, signal };
}

function rsPipeTo(source, dest, preventClose, preventAbort, preventCancel, signal) {
  const reader = acquireDefaultReader(source);
  const writer = acquireWriter(dest);
  source.disturbed = true;
  let shuttingDown = false;
  let currentWrite = Promise.resolve(undefined);
  const done = new StreamDeferred();
  let unfollowSignal = null;

  const finalize = (isError, error) => {
    writerRelease(writer);
    readerRelease(reader);
    if (unfollowSignal !== null) {
      unfollowSignal();
    }
    if (isError) {
      done.reject(error);
    } else {
      done.resolve(undefined);
    }
  };
  const waitForWritesToFinish = () => {
    const old = currentWrite;
    return old.then(() => (old !== currentWrite ? waitForWritesToFinish() : undefined));
  };
  const destWritableAndOpen = () => dest.state === 'writable' && !wsCloseQueuedOrInFlight(dest);
  const shutdownWithAction = (action, originalIsError, originalError) => {
    if (shuttingDown) {
      return;
    }
    shuttingDown = true;
    const doTheRest = () => {
      let p;
      try {
        p = action();
      } catch (e) {
        p = Promise.reject(e);
      }
      p.then(() => finalize(originalIsError, originalError), (newError) => finalize(true, newError));
    };
    if (destWritableAndOpen()) {
      waitForWritesToFinish().then(doTheRest);
    } else {
      doTheRest();
    }
  };
  const shutdown = (isError, error) => {
    if (shuttingDown) {
      return;
    }
    shuttingDown = true;
    if (destWritableAndOpen()) {
      waitForWritesToFinish().then(() => finalize(isError, error));
    } else {
      finalize(isError, error);
    }
  };

  if (signal !== undefined) {
    const abortAlgorithm = () => {
      const error = signal.reason;
      const actions = [];
      if (!preventAbort) {
        actions.push(() => (dest.state === 'writable' ? wsAbort(dest, error) : Promise.resolve(undefined)));
      }
      if (!preventCancel) {
        actions.push(() => (source.state === 'readable' ? rsCancel(source, error) : Promise.resolve(undefined)));
      }
      shutdownWithAction(() => Promise.all(actions.map((a) => a())), true, error);
    };
    if (signal.aborted) {
      abortAlgorithm();
      return done.promise;
    }
    unfollowSignal = pipeFollowSignal(signal, abortAlgorithm);
  }

  // Errors and closes propagate forward and backward.
  const onSourceErrored = (storedError) => {
    if (!preventAbort) {
      shutdownWithAction(() => wsAbort(dest, storedError), true, storedError);
    } else {
      shutdown(true, storedError);
    }
  };
  const onDestErrored = (storedError) => {
    if (!preventCancel) {
      shutdownWithAction(() => rsCancel(source, storedError), true, storedError);
    } else {
      shutdown(true, storedError);
    }
  };
  const onSourceClosed = () => {
    if (!preventClose) {
      shutdownWithAction(() => writerCloseWithErrorPropagation(writer));
    } else {
      shutdown();
    }
  };
  const onDestClosed = () => {
    const destClosed = new TypeError('the destination writable stream closed before all data could be piped to it');
    if (!preventCancel) {
      shutdownWithAction(() => rsCancel(source, destClosed), true, destClosed);
    } else {
      shutdown(true, destClosed);
    }
  };

  if (source.state === 'errored') {
    onSourceErrored(source.storedError);
  } else {
    reader.closed.promise.then(undefined, onSourceErrored);
  }
  if (dest.state === 'errored') {
    onDestErrored(dest.storedError);
  } else {
    writer.closed.promise.then(undefined, onDestErrored);
  }
  if (source.state === 'closed') {
    onSourceClosed();
  } else {
    reader.closed.promise.then(onSourceClosed, streamNoop);
  }
  if (wsCloseQueuedOrInFlight(dest) || dest.state === 'closed') {
    onDestClosed();
  }

  const pipeStep = () => {
    if (shuttingDown) {
      return Promise.resolve(true);
    }
    return writer.ready.promise.then(() => {
      if (shuttingDown) {
        return true;
      }
      const d = new StreamDeferred();
      defaultReaderRead(reader, {
        chunkSteps: (chunk) => {
          currentWrite = writerWrite(writer, chunk).then(undefined, streamNoop);
          d.resolve(false);
        },
        closeSteps: () => d.resolve(true),
        errorSteps: (e) => d.reject(e),
      });
      return d.promise;
    });
  };
  const pipeLoop = () => {
    pipeStep().then((finished) => {
      if (!finished) {
        pipeLoop();
      }
    }, streamNoop);
  };
  if (!shuttingDown) {
    pipeLoop();
  }
  return done.promise;
}

defineGlobal('ReadableStream', ReadableStream);
defineGlobal('ReadableStreamDefaultReader', ReadableStreamDefaultReader);
defineGlobal('ReadableStreamBYOBReader', ReadableStreamBYOBReader);
defineGlobal('ReadableStreamDefaultController', ReadableStreamDefaultController);
defineGlobal('ReadableByteStreamController', ReadableByteStreamController);
defineGlobal('ReadableStreamBYOBRequest', ReadableStreamBYOBRequest);

// ---- helpers for the rest of the prelude

// A byte stream that yields a copy of `bytes` and closes.
function streamOfBytes(bytes) {
  const s = createReadableByteStream(() => undefined, null, null);
  if (bytes.length > 0) {
    rbcEnqueue(s.controller, bytes.slice());
  }
  rbcClose(s.controller);
  return s.obj;
}

// Reads a whole stream of byte chunks into one Uint8Array. Chunks must be BufferSources. Chunks that are already
// queued are taken in a loop, not by recursion, so a long queue cannot exhaust the stack.
function readAllBytes(stream) {
  const s = readableStreamRecord(stream);
  const reader = acquireDefaultReader(s);
  const chunks = [];
  let total = 0;
  return new Promise((resolve, reject) => {
    let looping = false;
    let more = false;
    const request = {
      chunkSteps: (chunk) => {
        const bytes = bufferSourceBytes(chunk);
        if (bytes === null) {
          const e = new TypeError('This ReadableStream did not return bytes.');
          rsCancel(s, e);
          readerRelease(reader);
          reject(e);
          return;
        }
        chunks.push(bytes);
        total += bytes.length;
        if (looping) {
          more = true;
        } else {
          pump();
        }
      },
      closeSteps: () => {
        readerRelease(reader);
        resolve(concatBytes(chunks, total));
      },
      errorSteps: (e) => {
        readerRelease(reader);
        reject(e);
      },
    };
    const pump = () => {
      looping = true;
      do {
        more = false;
        defaultReaderRead(reader, request);
      } while (more);
      looping = false;
    };
    pump();
  });
}

// Copies a host ByteBuffer into a new Uint8Array. (TypedArray.prototype.set from a view of the host buffer is
// several times faster than constructing one typed array from the other.)
function hostBufferBytes(buffer) {
  const view = new Uint8Array(buffer);
  const out = new Uint8Array(view.length);
  out.set(view);
  return out;
}

// A Uint8Array over the bytes of a BufferSource (no copy), or null for anything else.
function bufferSourceBytes(chunk) {
  if (chunk instanceof Uint8Array) {
    return chunk;
  }
  if (ArrayBuffer.isView(chunk)) {
    return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
  if (chunk instanceof ArrayBuffer) {
    return new Uint8Array(chunk);
  }
  return null;
}

function concatBytes(chunks, total) {
  if (chunks.length === 1) {
    return chunks[0];
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
streamsDefineInterface(ReadableStreamDefaultController, 'ReadableStreamDefaultController');
streamsDefineInterface(ReadableByteStreamController, 'ReadableByteStreamController');
streamsDefineInterface(ReadableStreamBYOBRequest, 'ReadableStreamBYOBRequest');
streamsDefineInterface(ReadableStreamDefaultReader, 'ReadableStreamDefaultReader');
streamsDefineInterface(ReadableStreamBYOBReader, 'ReadableStreamBYOBReader');
streamsDefineInterface(ReadableStream, 'ReadableStream');
