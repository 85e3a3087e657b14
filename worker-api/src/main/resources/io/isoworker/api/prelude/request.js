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

const REQUEST = internalSlot('Request');

function requestState(r) {
  return internalState(r, REQUEST, 'Request');
}

function requestBodyState(r) {
  return requestState(r).body;
}

// request.cf, read from the host request the first time it is asked for.
function requestCf(state) {
  if (state.cfHead !== null) {
    state.cf = cfFromHost(state.cfHead);
    state.cfHead = null;
  }
  return state.cf;
}

class Request {
  constructor(input, init = undefined) {
    const state = {
      method: 'GET',
      url: null, // the serialized URL; null until an incoming request's URL is first read
      hostUrl: null, // the URL the host gave, as received
      headers: null,
      head: null, // the host request, while its headers have not been built yet
      body: null,
      redirect: 'follow',
      cf: undefined,
      cfHead: null, // the host request, while request.cf has not been read yet
    };
    this[REQUEST] = state;
    if (input === INTERNAL) {
      // init is the host's HttpRequestHead
      state.head = init;
      state.method = init.method();
      state.hostUrl = init.url();
      state.cfHead = init;
      if (init.hasBody()) {
        state.body = hostRequestBody(init);
      }
      return;
    }
    if (arguments.length === 0) {
      throw new TypeError("Failed to construct 'Request': 1 argument required, but only 0 present.");
    }
    init = init === undefined || init === null ? {} : init;
    let inputBody = null;
    if (input instanceof Request) {
      state.url = input.url;
      state.method = requestState(input).method;
      state.headers = new Headers(input.headers);
      state.redirect = requestState(input).redirect;
      state.cf = requestCf(requestState(input));
      inputBody = requestState(input).body;
    } else {
      const url = urlToUSVString(input);
      const href = urlHref(url);
      if (href === null) {
        throw new TypeError('Invalid URL: ' + url);
      }
      state.url = href;
      state.headers = new Headers();
    }
    if (init.method !== undefined) {
      state.method = normalizeMethod(init.method);
    }
    if (init.headers !== undefined) {
      state.headers = new Headers(init.headers);
    }
    if (init.redirect !== undefined) {
      const redirect = String(init.redirect);
      if (!['follow', 'manual', 'error'].includes(redirect)) {
        throw new TypeError("Failed to construct 'Request': '" + redirect + "' is not a valid value for 'redirect'.");
      }
      state.redirect = redirect;
    }
    if (init.cf !== undefined) {
      state.cf = init.cf;
    }
    const hasInitBody = init.body !== undefined && init.body !== null;
    if ((hasInitBody || (inputBody !== null && init.body === undefined)) && (state.method === 'GET' || state.method === 'HEAD')) {
      throw new TypeError('Request with a GET or HEAD method cannot have a body.');
    }
    if (hasInitBody) {
      const [body, contentType] = extractBody(init.body);
      state.body = body;
      if (contentType !== null && !state.headers.has('content-type')) {
        state.headers.append('content-type', contentType);
      }
    } else if (inputBody !== null && init.body === undefined) {
      if (bodyUsed(inputBody)) {
        throw new TypeError(BODY_USED_MESSAGE);
      }
      // The new request takes over the input's body; the input counts as used.
      state.body = new BodyState(inputBody.bytes, inputBody.stream);
      inputBody.used = true;
    }
  }

  get method() { return requestState(this).method; }
  get url() {
    const state = requestState(this);
    if (state.url === null) {
      // The host's URL is absolute; should its Host header make it unparsable, the worker still sees it.
      state.url = urlHref(state.hostUrl) ?? state.hostUrl;
    }
    return state.url;
  }
  get redirect() { return requestState(this).redirect; }
  get cf() { return requestCf(requestState(this)); }

  get headers() {
    const state = requestState(this);
    if (state.headers === null) {
      state.headers = headersFromHost(state.head);
      state.head = null;
    }
    return state.headers;
  }

  clone() {
    const state = requestState(this);
    const copy = new Request(this.url, { method: state.method, headers: this.headers, redirect: state.redirect });
    const c = copy[REQUEST];
    c.cf = requestCf(state);
    c.body = cloneBody(state.body);
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
