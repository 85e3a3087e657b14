// The Body mixin shared by Request and Response. A body is held as bytes until someone asks for `.body`; from then
// on the stream is the only source of truth. A request body from the host is a byte stream fed chunk by chunk.

class BodyState {
  constructor(bytes, stream) {
    this.bytes = bytes;   // Uint8Array or null
    this.stream = stream; // ReadableStream or null
    this.used = false;
  }
}

const BODY_USED_MESSAGE = 'Body has already been used. It can only be used once. Use tee() first if you need to read it twice.';
const BODY_DISTURBED_MESSAGE = 'This ReadableStream is disturbed (has already been read from), and cannot be used as a body.';

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
  if (isReadableStream(init)) {
    const s = readableStreamRecord(init);
    if (rsIsLocked(s) || s.disturbed) {
      throw new TypeError(BODY_DISTURBED_MESSAGE);
    }
    return [new BodyState(null, init), null];
  }
  if (isBlob(init)) {
    return [new BodyState(blobBytes(init).slice(), null), init.type === '' ? null : init.type];
  }
  if (init instanceof FormData) {
    const [bytes, contentType] = encodeMultipart(init);
    return [new BodyState(bytes, null), contentType];
  }
  if (typeof URLSearchParams === 'function' && init instanceof URLSearchParams) {
    return [new BodyState(utf8Encode(init.toString()), null), 'application/x-www-form-urlencoded;charset=UTF-8'];
  }
  return [new BodyState(utf8Encode(String(init)), null), 'text/plain;charset=UTF-8'];
}

// The body of a request from the host: its bytes, or a byte stream that pulls chunks from the host.
function hostRequestBody(head) {
  const bytes = head.bodyBytes();
  if (bytes !== null) {
    return new BodyState(hostBufferBytes(bytes), null);
  }
  return new BodyState(null, hostBodyStream(host.streams().requestBody(head)).obj);
}

// A byte stream over a host RequestBodyChannel: each pull asks the host for one more chunk, which arrives later
// through a re-entry into the guest.
function hostBodyStream(channel) {
  let s = null;
  let pullDone = null;
  const settlePull = () => {
    const d = pullDone;
    if (d !== null) {
      pullDone = null;
      d.resolve(undefined);
    }
  };
  const open = () => s !== null && s.state === 'readable' && !s.controller.closeRequested;
  const onData = (buffer) => {
    if (open()) {
      rbcEnqueue(s.controller, hostBufferBytes(buffer));
    }
    settlePull();
  };
  const onEnd = () => {
    if (open()) {
      try {
        rbcCloseAndRespond(s.controller);
      } catch (e) {
        // the reader's view could not be filled with whole elements: the stream is errored already
      }
    }
    settlePull();
  };
  const onError = (message) => {
    if (open()) {
      rbcError(s.controller, new TypeError(message));
    }
    settlePull();
  };
  s = createReadableByteStream(() => {
    channel.open(onData, onEnd, onError);
  }, () => {
    pullDone = new StreamDeferred();
    channel.pull();
    return pullDone.promise;
  }, () => {
    channel.cancel();
    settlePull();
    return Promise.resolve(undefined);
  }, 0);
  return s;
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
  return state.used || (state.stream !== null && readableStreamRecord(state.stream).disturbed);
}

// Reads the whole body once. Resolves to a Uint8Array the caller may keep.
function consumeBody(state) {
  if (state === null) {
    return Promise.resolve(new Uint8Array(0));
  }
  if (bodyUsed(state)) {
    return Promise.reject(new TypeError(BODY_USED_MESSAGE));
  }
  if (state.stream === null) {
    state.used = true;
    const bytes = state.bytes;
    state.bytes = null;
    return Promise.resolve(bytes);
  }
  if (state.stream.locked) {
    return Promise.reject(new TypeError(STREAM_LOCKED));
  }
  state.used = true;
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

// The MIME type of a body from its headers' Content-Type, serialized, or '' when there is none.
function bodyMimeType(headers) {
  const value = headers.get('content-type');
  if (value === null) {
    return '';
  }
  const mime = parseMimeType(value);
  return mime === null ? '' : serializeMimeType(mime);
}

function bodyFormData(bytes, headers) {
  const value = headers.get('content-type');
  const mime = value === null ? null : parseMimeType(value);
  if (mime !== null && mimeEssence(mime) === 'multipart/form-data') {
    const boundary = mime.parameters.get('boundary');
    if (boundary === undefined || boundary === '') {
      throw new TypeError('Parsing a Body as FormData requires a boundary in the multipart/form-data Content-Type header.');
    }
    return parseMultipart(bytes, boundary);
  }
  if (mime !== null && mimeEssence(mime) === 'application/x-www-form-urlencoded') {
    return parseUrlEncodedForm(bytes);
  }
  throw new TypeError('Parsing a Body as FormData requires a Content-Type header of multipart/form-data or '
    + 'application/x-www-form-urlencoded.');
}

// Installs the Body mixin (body, bodyUsed and the readers) on a class whose instances' BodyState `stateOf` returns.
// `stateOf` throws a TypeError for objects that are not instances, as Web IDL brand checks do. The class's own
// `headers` getter gives the Content-Type for blob() and formData().
function installBodyMixin(cls, stateOf) {
  const headersGetter = Reflect.getOwnPropertyDescriptor(cls.prototype, 'headers').get;
  const headersOf = (self) => Reflect.apply(headersGetter, self, []);
  const consume = (self) => {
    try {
      return consumeBody(stateOf(self));
    } catch (e) {
      return Promise.reject(e);
    }
  };
  const mixin = {
    get body() { return bodyStream(stateOf(this)); },
    get bodyUsed() { return bodyUsed(stateOf(this)); },
    arrayBuffer() { return consume(this).then((b) => exactBuffer(b)); },
    bytes() { return consume(this); },
    text() { return consume(this).then(utf8Decode); },
    json() { return consume(this).then((b) => JSON.parse(utf8Decode(b))); },
    blob() {
      return consume(this).then((b) => new Blob(INTERNAL, { bytes: b, type: bodyMimeType(headersOf(this)) }));
    },
    formData() { return consume(this).then((b) => bodyFormData(b, headersOf(this))); },
  };
  for (const key of Reflect.ownKeys(mixin)) {
    const desc = Reflect.getOwnPropertyDescriptor(mixin, key);
    desc.enumerable = true;
    Object.defineProperty(cls.prototype, key, desc);
  }
}
