// Response (Fetch Standard).

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const REASON_PHRASE = /^[\t\x20-\x7e\x80-\xff]*$/;

let responseInternals;
let responseBodyState;
let responseFromFetch;

class Response {
  #status = 200;
  #statusText = '';
  #headers;
  #body = null;
  #type = 'default';
  #url = '';
  #redirected = false;

  static {
    responseInternals = (r) => ({ status: r.#status, headers: r.#headers, body: r.#body, type: r.#type });
    responseBodyState = (r) => r.#body;
    // A response from the network (fetch.js): `headers` are already immutable, `stream` is the body or null.
    responseFromFetch = (status, statusText, headers, stream, url, redirected) => {
      const r = new Response(null);
      r.#status = status;
      r.#statusText = statusText;
      r.#headers = headers;
      r.#body = stream === null ? null : new BodyState(null, stream);
      r.#url = url;
      r.#redirected = redirected;
      return r;
    };
  }

  constructor(body = null, init = undefined) {
    init = init === undefined || init === null ? {} : init;
    if (typeof init !== 'object') {
      throw new TypeError("Failed to construct 'Response': cannot convert the second argument to a ResponseInit.");
    }
    if (init.status !== undefined) {
      const status = Number(init.status);
      if (!Number.isInteger(status) || ((status < 200 || status > 599) && status !== 101)) {
        throw new RangeError("Failed to construct 'Response': The status provided (" + init.status + ') is outside the range [200, 599].');
      }
      this.#status = status;
    }
    if (init.statusText !== undefined) {
      const text = String(init.statusText);
      if (!REASON_PHRASE.test(text)) {
        throw new TypeError("Failed to construct 'Response': Invalid statusText");
      }
      this.#statusText = text;
    }
    this.#headers = new Headers(init.headers);
    if (body !== null && body !== undefined) {
      if (NULL_BODY_STATUSES.has(this.#status)) {
        throw new TypeError('Response with null body status (101, 204, 205, or 304) cannot have a body.');
      }
      const [state, contentType] = extractBody(body);
      this.#body = state;
      if (contentType !== null && !this.#headers.has('content-type')) {
        this.#headers.append('content-type', contentType);
      }
    }
  }

  static json(data, init = undefined) {
    const text = JSON.stringify(data);
    if (text === undefined) {
      throw new TypeError('Value is not JSON serializable');
    }
    const response = new Response(text, init);
    response.#headers.set('content-type', 'application/json');
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
    response.#headers.set('location', href);
    setHeadersGuard(response.#headers, 'immutable');
    return response;
  }

  static error() {
    const response = new Response(null);
    response.#status = 0;
    response.#type = 'error';
    setHeadersGuard(response.#headers, 'immutable');
    return response;
  }

  get status() { return this.#status; }
  get ok() { return this.#status >= 200 && this.#status <= 299; }
  get statusText() { return this.#statusText; }
  get headers() { return this.#headers; }
  get type() { return this.#type; }
  get url() { return this.#url; }
  get redirected() { return this.#redirected; }
  get webSocket() { return null; }

  clone() {
    const copy = new Response(null, { status: this.#status === 0 ? 200 : this.#status, statusText: this.#statusText, headers: this.#headers });
    copy.#status = this.#status;
    copy.#type = this.#type;
    copy.#url = this.#url;
    copy.#redirected = this.#redirected;
    copy.#body = cloneBody(this.#body);
    return copy;
  }

  get [Symbol.toStringTag]() {
    return 'Response';
  }
}
installBodyMixin(Response, responseBodyState);
defineGlobal('Response', Response);
