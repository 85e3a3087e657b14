// The Body mixin shared by Request and Response. A body is held as bytes until someone asks for `.body`; from then
// on the stream is the only source of truth.

class BodyState {
  constructor(bytes, stream) {
    this.bytes = bytes;   // Uint8Array or null
    this.stream = stream; // ReadableStream or null
    this.used = false;
  }
}

const BODY_USED_MESSAGE = 'Body has already been used. It can only be used once. Use tee() first if you need to read it twice.';

// Extracts a body from a BodyInit: returns [BodyState or null, content type or null].
function extractBody(init) {
  if (init === undefined || init === null) {
    return [null, null];
  }
  if (typeof init === 'string') {
    return [new BodyState(utf8Encode(init), null), 'text/plain;charset=UTF-8'];
  }
  if (init instanceof ArrayBuffer || ArrayBuffer.isView(init)) {
    return [new BodyState(copyBytes(init), null), null];
  }
  if (init instanceof ReadableStream) {
    if (init.locked || streamState(init).disturbed) {
      throw new TypeError('This ReadableStream is disturbed (has already been read from), and cannot be used as a body.');
    }
    return [new BodyState(null, init), null];
  }
  return [new BodyState(utf8Encode(String(init)), null), 'text/plain;charset=UTF-8'];
}

function bodyStream(state) {
  if (state === null) {
    return null;
  }
  if (state.stream === null) {
    state.stream = streamOfBytes(state.used ? new Uint8Array(0) : state.bytes);
    state.bytes = null;
  }
  return state.stream;
}

function bodyUsed(state) {
  if (state === null) {
    return false;
  }
  return state.used || (state.stream !== null && streamState(state.stream).disturbed);
}

// Reads the whole body once. Resolves to a Uint8Array the caller may keep.
function consumeBody(state) {
  if (state === null) {
    return Promise.resolve(new Uint8Array(0));
  }
  if (bodyUsed(state)) {
    return Promise.reject(new TypeError(BODY_USED_MESSAGE));
  }
  state.used = true;
  if (state.stream === null) {
    const bytes = state.bytes;
    state.bytes = null;
    return Promise.resolve(bytes);
  }
  if (state.stream.locked) {
    return Promise.reject(new TypeError('This ReadableStream is currently locked to a reader.'));
  }
  return readAllBytes(state.stream);
}

// A copy of a body for clone(): bytes are shared (they are never written), a stream is teed.
function cloneBody(state) {
  if (state === null) {
    return null;
  }
  if (bodyUsed(state)) {
    throw new TypeError(BODY_USED_MESSAGE);
  }
  if (state.stream === null) {
    return new BodyState(state.bytes, null);
  }
  const [a, b] = state.stream.tee();
  state.stream = a;
  return new BodyState(null, b);
}

// Installs the Body mixin (body, bodyUsed and the readers) on a class whose instances' BodyState `stateOf` returns.
// `stateOf` throws a TypeError for objects that are not instances, as Web IDL brand checks do.
function installBodyMixin(cls, stateOf) {
  const mixin = {
    get body() { return bodyStream(stateOf(this)); },
    get bodyUsed() { return bodyUsed(stateOf(this)); },
    arrayBuffer() { return consumeBody(stateOf(this)).then((b) => exactBuffer(b)); },
    bytes() { return consumeBody(stateOf(this)); },
    text() { return consumeBody(stateOf(this)).then(utf8Decode); },
    json() { return consumeBody(stateOf(this)).then((b) => JSON.parse(utf8Decode(b))); },
  };
  for (const key of Reflect.ownKeys(mixin)) {
    const desc = Reflect.getOwnPropertyDescriptor(mixin, key);
    desc.enumerable = true;
    Object.defineProperty(cls.prototype, key, desc);
  }
}
