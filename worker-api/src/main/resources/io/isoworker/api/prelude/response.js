// Response (Fetch Standard).

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const REASON_PHRASE = /^[\t\x20-\x7e\x80-\xff]*$/;

const RESPONSE = internalSlot('Response');

function responseState(r) {
  return internalState(r, RESPONSE, 'Response');
}

// The host's and the other prelude files' access to a Response's internals.
function responseInternals(r) {
  const s = responseState(r);
  return { status: s.status, headers: s.headers, body: s.body, type: s.type };
}

function responseBodyState(r) {
  return responseState(r).body;
}

// A response from the network (fetch.js): `headers` are already immutable, `stream` is the body or null.
function responseFromFetch(status, statusText, headers, stream, url, redirected) {
  const r = new Response(null);
  const s = r[RESPONSE];
  s.status = status;
  s.statusText = statusText;
  s.headers = headers;
  s.body = stream === null ? null : new BodyState(null, stream);
  s.url = url;
  s.redirected = redirected;
  return r;
}

class Response {
  constructor(body = null, init = undefined) {
    const state = { status: 200, statusText: '', headers: null, body: null, type: 'default', url: '', redirected: false };
    this[RESPONSE] = state;
    init = init === undefined || init === null ? {} : init;
    if (typeof init !== 'object') {
      throw new TypeError("Failed to construct 'Response': cannot convert the second argument to a ResponseInit.");
    }
    if (init.status !== undefined) {
      const status = Number(init.status);
      if (!Number.isInteger(status) || ((status < 200 || status > 599) && status !== 101)) {
        throw new RangeError("Failed to construct 'Response': The status provided (" + init.status + ') is outside the range [200, 599].');
      }
      state.status = status;
    }
    if (init.statusText !== undefined) {
      const text = String(init.statusText);
      if (!REASON_PHRASE.test(text)) {
        throw new TypeError("Failed to construct 'Response': Invalid statusText");
      }
      state.statusText = text;
    }
    state.headers = new Headers(init.headers);
    if (body !== null && body !== undefined) {
      if (NULL_BODY_STATUSES.has(state.status)) {
        throw new TypeError('Response with null body status (101, 204, 205, or 304) cannot have a body.');
      }
      const [bodyState, contentType] = extractBody(body);
      state.body = bodyState;
      if (contentType !== null && !state.headers.has('content-type')) {
        state.headers.append('content-type', contentType);
      }
    }
  }

  static json(data, init = undefined) {
    const text = JSON.stringify(data);
    if (text === undefined) {
      throw new TypeError('Value is not JSON serializable');
    }
    const response = new Response(text, init);
    response[RESPONSE].headers.set('content-type', 'application/json');
    return response;
  }

  static redirect(url, status = 302) {
    url = urlToUSVString(url);
    const href = urlHref(url);
    if (href === null) {
      throw new TypeError('Invalid URL: ' + url);
    }
    status = Number(status);
    if (!REDIRECT_STATUSES.has(status)) {
      throw new RangeError("Failed to execute 'redirect' on 'Response': Invalid status code");
    }
    const response = new Response(null, { status });
    response[RESPONSE].headers.set('location', href);
    setHeadersGuard(response[RESPONSE].headers, 'immutable');
    return response;
  }

  static error() {
    const response = new Response(null);
    response[RESPONSE].status = 0;
    response[RESPONSE].type = 'error';
    setHeadersGuard(response[RESPONSE].headers, 'immutable');
    return response;
  }

  get status() { return responseState(this).status; }
  get ok() { const status = responseState(this).status; return status >= 200 && status <= 299; }
  get statusText() { return responseState(this).statusText; }
  get headers() { return responseState(this).headers; }
  get type() { return responseState(this).type; }
  get url() { return responseState(this).url; }
  get redirected() { return responseState(this).redirected; }
  get webSocket() { responseState(this); return null; }

  clone() {
    const s = responseState(this);
    const copy = new Response(null, { status: s.status === 0 ? 200 : s.status, statusText: s.statusText, headers: s.headers });
    const c = copy[RESPONSE];
    c.status = s.status;
    c.type = s.type;
    c.url = s.url;
    c.redirected = s.redirected;
    c.body = cloneBody(s.body);
    return copy;
  }

  get [Symbol.toStringTag]() {
    return 'Response';
  }
}
installBodyMixin(Response, responseBodyState);
defineGlobal('Response', Response);
