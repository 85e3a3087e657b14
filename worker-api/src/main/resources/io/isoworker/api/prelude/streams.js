// ReadableStream (Streams Standard), default readers only: enough for streaming bodies. Byte streams, BYOB readers,
// WritableStream, TransformStream and piping come with the full Web API set.

class ReadableStreamState {
  constructor(stream) {
    this.stream = stream;
    this.state = 'readable';
    this.queue = [];
    this.pendingReads = [];
    this.storedError = undefined;
    this.closeRequested = false;
    this.started = false;
    this.pulling = false;
    this.pullAgain = false;
    this.disturbed = false;
    this.source = null;
    this.controller = null;
    this.highWaterMark = 1;
    this.sizeOf = null;
    this.queueSize = 0;
    this.reader = null;
  }
}

// Host access to a stream's state; set in the class's static block.
let streamState;

function streamDesiredSize(s) {
  if (s.state === 'errored') {
    return null;
  }
  if (s.state === 'closed') {
    return 0;
  }
  return s.highWaterMark - s.queueSize;
}

function streamFinishClose(s) {
  s.state = 'closed';
  for (const read of s.pendingReads) {
    read.resolve({ value: undefined, done: true });
  }
  s.pendingReads = [];
  if (s.reader) {
    s.reader.resolveClosed();
  }
}

function streamError(s, e) {
  if (s.state !== 'readable') {
    return;
  }
  s.state = 'errored';
  s.storedError = e;
  s.queue = [];
  s.queueSize = 0;
  for (const read of s.pendingReads) {
    read.reject(e);
  }
  s.pendingReads = [];
  if (s.reader) {
    s.reader.rejectClosed(e);
  }
}

function streamCallPullIfNeeded(s) {
  if (!s.started || s.closeRequested || s.state !== 'readable' || !s.source || typeof s.source.pull !== 'function') {
    return;
  }
  if (s.pendingReads.length === 0 && streamDesiredSize(s) <= 0) {
    return;
  }
  if (s.pulling) {
    s.pullAgain = true;
    return;
  }
  s.pulling = true;
  let result;
  try {
    result = Promise.resolve(s.source.pull.call(s.source, s.controller));
  } catch (e) {
    result = Promise.reject(e);
  }
  result.then(() => {
    s.pulling = false;
    if (s.pullAgain) {
      s.pullAgain = false;
      streamCallPullIfNeeded(s);
    }
  }, (e) => streamError(s, e));
}

function streamEnqueue(s, chunk) {
  if (s.closeRequested || s.state !== 'readable') {
    throw new TypeError('Cannot enqueue to a closed or errored stream');
  }
  if (s.pendingReads.length > 0) {
    s.pendingReads.shift().resolve({ value: chunk, done: false });
  } else {
    let size = 1;
    if (s.sizeOf) {
      size = Number(s.sizeOf(chunk));
      if (!(size >= 0) || size === Infinity) {
        const e = new RangeError('The return value of a queuing strategy size function must be a finite, non-NaN, non-negative number');
        streamError(s, e);
        throw e;
      }
    }
    s.queue.push([chunk, size]);
    s.queueSize += size;
  }
  streamCallPullIfNeeded(s);
}

function streamRead(s) {
  s.disturbed = true;
  if (s.state === 'errored') {
    return Promise.reject(s.storedError);
  }
  if (s.queue.length > 0) {
    const [chunk, size] = s.queue.shift();
    s.queueSize -= size;
    if (s.closeRequested && s.queue.length === 0) {
      streamFinishClose(s);
    } else {
      streamCallPullIfNeeded(s);
    }
    return Promise.resolve({ value: chunk, done: false });
  }
  if (s.state === 'closed') {
    return Promise.resolve({ value: undefined, done: true });
  }
  return new Promise((resolve, reject) => {
    s.pendingReads.push({ resolve, reject });
    streamCallPullIfNeeded(s);
  });
}

function streamCancel(s, reason) {
  s.disturbed = true;
  if (s.state === 'closed') {
    return Promise.resolve(undefined);
  }
  if (s.state === 'errored') {
    return Promise.reject(s.storedError);
  }
  s.queue = [];
  s.queueSize = 0;
  streamFinishClose(s);
  try {
    const cancel = s.source && s.source.cancel;
    return Promise.resolve(typeof cancel === 'function' ? cancel.call(s.source, reason) : undefined).then(() => undefined);
  } catch (e) {
    return Promise.reject(e);
  }
}

class ReadableStreamDefaultController {
  #s;

  constructor(key, state) {
    if (key !== INTERNAL) {
      illegalConstructor();
    }
    this.#s = state;
  }

  get desiredSize() {
    return streamDesiredSize(this.#s);
  }

  enqueue(chunk) {
    streamEnqueue(this.#s, chunk);
  }

  close() {
    const s = this.#s;
    if (s.closeRequested || s.state !== 'readable') {
      throw new TypeError('Cannot close a closed or errored stream');
    }
    s.closeRequested = true;
    if (s.queue.length === 0) {
      streamFinishClose(s);
    }
  }

  error(e) {
    streamError(this.#s, e);
  }
}

class ReadableStreamDefaultReader {
  #s;
  #closed;
  #resolveClosed;
  #rejectClosed;

  constructor(stream) {
    if (!(stream instanceof ReadableStream)) {
      throw new TypeError('ReadableStreamDefaultReader needs a ReadableStream');
    }
    const s = streamState(stream);
    if (s.reader) {
      throw new TypeError('This ReadableStream is currently locked to a reader.');
    }
    this.#s = s;
    this.#closed = new Promise((resolve, reject) => {
      this.#resolveClosed = resolve;
      this.#rejectClosed = reject;
    });
    this.#closed.catch(() => {});
    s.reader = {
      resolveClosed: () => this.#resolveClosed(undefined),
      rejectClosed: (e) => this.#rejectClosed(e),
      owner: this,
    };
    if (s.state === 'closed') {
      this.#resolveClosed(undefined);
    } else if (s.state === 'errored') {
      this.#rejectClosed(s.storedError);
    }
  }

  get closed() {
    return this.#closed;
  }

  read() {
    if (!this.#s || !this.#s.reader || this.#s.reader.owner !== this) {
      return Promise.reject(new TypeError('This reader has been released.'));
    }
    return streamRead(this.#s);
  }

  cancel(reason = undefined) {
    if (!this.#s || !this.#s.reader || this.#s.reader.owner !== this) {
      return Promise.reject(new TypeError('This reader has been released.'));
    }
    return streamCancel(this.#s, reason);
  }

  releaseLock() {
    const s = this.#s;
    if (!s || !s.reader || s.reader.owner !== this) {
      return;
    }
    const e = new TypeError('This reader has been released.');
    for (const read of s.pendingReads) {
      read.reject(e);
    }
    s.pendingReads = [];
    if (s.state === 'readable') {
      this.#rejectClosed(e);
    }
    s.reader = null;
  }
}

class ReadableStream {
  #s;

  static {
    streamState = (stream) => stream.#s;
  }

  constructor(underlyingSource = undefined, strategy = {}) {
    const s = new ReadableStreamState(this);
    this.#s = s;
    const source = underlyingSource === undefined || underlyingSource === null ? {} : underlyingSource;
    if (typeof source !== 'object' && typeof source !== 'function') {
      throw new TypeError("Failed to construct 'ReadableStream': The provided value is not of type 'UnderlyingSource'.");
    }
    if (source.type !== undefined && String(source.type) !== 'bytes') {
      throw new TypeError('Invalid ReadableStream type: ' + source.type);
    }
    const hwm = strategy && strategy.highWaterMark !== undefined ? Number(strategy.highWaterMark) : 1;
    if (Number.isNaN(hwm) || hwm < 0) {
      throw new RangeError('Invalid highWaterMark');
    }
    s.highWaterMark = source.type === 'bytes' && !(strategy && strategy.highWaterMark !== undefined) ? 0 : hwm;
    s.sizeOf = strategy && typeof strategy.size === 'function' ? strategy.size : null;
    s.source = source;
    s.controller = new ReadableStreamDefaultController(INTERNAL, s);
    let started;
    try {
      started = Promise.resolve(typeof source.start === 'function' ? source.start.call(source, s.controller) : undefined);
    } catch (e) {
      throw e;
    }
    started.then(() => {
      s.started = true;
      streamCallPullIfNeeded(s);
    }, (e) => streamError(s, e));
  }

  get locked() {
    return this.#s.reader !== null;
  }

  cancel(reason = undefined) {
    if (this.#s.reader) {
      return Promise.reject(new TypeError('This ReadableStream is currently locked to a reader.'));
    }
    return streamCancel(this.#s, reason);
  }

  getReader(options = undefined) {
    if (options && options.mode !== undefined) {
      if (String(options.mode) === 'byob') {
        throw new TypeError('BYOB readers are not supported yet');
      }
      throw new TypeError('Invalid reader mode: ' + options.mode);
    }
    return new ReadableStreamDefaultReader(this);
  }

  // Two branches that each see every chunk. The source is read as fast as either branch asks.
  tee() {
    const reader = this.getReader();
    let c1;
    let c2;
    let reading = false;
    const pull = () => {
      if (reading) {
        return Promise.resolve();
      }
      reading = true;
      return reader.read().then(({ value, done }) => {
        reading = false;
        if (done) {
          try { c1.close(); } catch (e) { /* branch canceled */ }
          try { c2.close(); } catch (e) { /* branch canceled */ }
          return;
        }
        try { c1.enqueue(value); } catch (e) { /* branch canceled */ }
        try { c2.enqueue(value); } catch (e) { /* branch canceled */ }
      }, (e) => {
        c1.error(e);
        c2.error(e);
      });
    };
    const b1 = new ReadableStream({ start(c) { c1 = c; }, pull });
    const b2 = new ReadableStream({ start(c) { c2 = c; }, pull });
    return [b1, b2];
  }

  async *values(options = undefined) {
    const reader = this.getReader();
    const preventCancel = !!(options && options.preventCancel);
    let finished = false;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          finished = true;
          return;
        }
        yield value;
      }
    } finally {
      if (!finished && !preventCancel) {
        await reader.cancel();
      }
      reader.releaseLock();
    }
  }

  [Symbol.asyncIterator](options = undefined) {
    return this.values(options);
  }

  get [Symbol.toStringTag]() {
    return 'ReadableStream';
  }
}
defineGlobal('ReadableStream', ReadableStream);
defineGlobal('ReadableStreamDefaultReader', ReadableStreamDefaultReader);
defineGlobal('ReadableStreamDefaultController', ReadableStreamDefaultController);

// A stream that yields one chunk of bytes and closes.
function streamOfBytes(bytes) {
  return new ReadableStream({
    start(controller) {
      if (bytes.length > 0) {
        controller.enqueue(bytes);
      }
      controller.close();
    },
  });
}

// Reads a whole stream of byte chunks into one Uint8Array.
async function readAllBytes(stream) {
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      break;
    }
    if (!(value instanceof Uint8Array)) {
      throw new TypeError('This ReadableStream did not return bytes.');
    }
    chunks.push(value);
    total += value.length;
  }
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
