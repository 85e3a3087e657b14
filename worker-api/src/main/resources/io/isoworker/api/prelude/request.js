// Request (Fetch Standard), as far as a worker needs to read incoming requests and build its own.

const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH']);

function normalizeMethod(method) {
  method = String(method);
  if (!HTTP_TOKEN.test(method)) {
    throw new TypeError("'" + method + "' is not a valid HTTP method.");
  }
  const upper = method.toUpperCase();
  if (FORBIDDEN_METHODS.has(upper)) {
    throw new TypeError("'" + method + "' HTTP method is unsupported.");
  }
  return NORMALIZED_METHODS.has(upper) ? upper : method;
}

let requestBodyState;

class Request {
  #method = 'GET';
  #url = null; // the serialized URL; null until an incoming request's URL is first read
  #hostUrl = null; // the URL the host gave, as received
  #headers = null;
  #head = null; // the host request, while its headers have not been built yet
  #body = null;
  #redirect = 'follow';
  #cf = undefined;
  #cfHead = null; // the host request, while request.cf has not been read yet

  static {
    requestBodyState = (r) => r.#body;
  }

  constructor(input, init = undefined) {
    if (input === INTERNAL) {
      // init is the host's HttpRequestHead
      this.#head = init;
      this.#method = init.method();
      this.#hostUrl = init.url();
      this.#cfHead = init;
      if (init.hasBody()) {
        this.#body = hostRequestBody(init);
      }
      return;
    }
    if (arguments.length === 0) {
      throw new TypeError("Failed to construct 'Request': 1 argument required, but only 0 present.");
    }
    init = init === undefined || init === null ? {} : init;
    let inputBody = null;
    if (input instanceof Request) {
      this.#url = input.url;
      this.#method = input.#method;
      this.#headers = new Headers(input.headers);
      this.#redirect = input.#redirect;
      this.#cf = input.#readCf();
      inputBody = input.#body;
    } else {
      const url = urlToUSVString(input);
      const href = urlHref(url);
      if (href === null) {
        throw new TypeError('Invalid URL: ' + url);
      }
      this.#url = href;
      this.#headers = new Headers();
    }
    if (init.method !== undefined) {
      this.#method = normalizeMethod(init.method);
    }
    if (init.headers !== undefined) {
      this.#headers = new Headers(init.headers);
    }
    if (init.redirect !== undefined) {
      const redirect = String(init.redirect);
      if (!['follow', 'manual', 'error'].includes(redirect)) {
        throw new TypeError("Failed to construct 'Request': '" + redirect + "' is not a valid value for 'redirect'.");
      }
      this.#redirect = redirect;
    }
    if (init.cf !== undefined) {
      this.#cf = init.cf;
    }
    const hasInitBody = init.body !== undefined && init.body !== null;
    if ((hasInitBody || (inputBody !== null && init.body === undefined)) && (this.#method === 'GET' || this.#method === 'HEAD')) {
      throw new TypeError('Request with a GET or HEAD method cannot have a body.');
    }
    if (hasInitBody) {
      const [body, contentType] = extractBody(init.body);
      this.#body = body;
      if (contentType !== null && !this.#headers.has('content-type')) {
        this.#headers.append('content-type', contentType);
      }
    } else if (inputBody !== null && init.body === undefined) {
      if (bodyUsed(inputBody)) {
        throw new TypeError(BODY_USED_MESSAGE);
      }
      // The new request takes over the input's body; the input counts as used.
      this.#body = new BodyState(inputBody.bytes, inputBody.stream);
      inputBody.used = true;
    }
  }

  get method() { return this.#method; }
  get url() {
    if (this.#url === null) {
      // The host's URL is absolute; should its Host header make it unparsable, the worker still sees it.
      this.#url = urlHref(this.#hostUrl) ?? this.#hostUrl;
    }
    return this.#url;
  }
  get redirect() { return this.#redirect; }
  get cf() { return this.#readCf(); }

  #readCf() {
    if (this.#cfHead !== null) {
      this.#cf = cfFromHost(this.#cfHead);
      this.#cfHead = null;
    }
    return this.#cf;
  }

  get headers() {
    if (this.#headers === null) {
      this.#headers = headersFromHost(this.#head);
      this.#head = null;
    }
    return this.#headers;
  }

  clone() {
    const copy = new Request(this.url, { method: this.#method, headers: this.headers, redirect: this.#redirect });
    copy.#cf = this.#readCf();
    copy.#body = cloneBody(this.#body);
    return copy;
  }

  get [Symbol.toStringTag]() {
    return 'Request';
  }
}
installBodyMixin(Request, requestBodyState);
defineGlobal('Request', Request);

// request.cf of an incoming request: what this node knows of the connection (see io.isoworker.api.http.RequestCf).
function cfFromHost(head) {
  if (!head.hasCf()) {
    return undefined;
  }
  const cf = {
    colo: head.cfColo(),
    httpProtocol: head.cfHttpProtocol(),
    tlsVersion: head.cfTlsVersion(),
    tlsCipher: head.cfTlsCipher(),
  };
  const rtt = head.cfClientTcpRtt();
  if (rtt >= 0) {
    cf.clientTcpRtt = rtt;
  }
  return cf;
}

function requestFromHost(head) {
  return new Request(INTERNAL, head);
}
