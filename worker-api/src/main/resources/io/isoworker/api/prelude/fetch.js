// fetch() (Fetch Standard), as Cloudflare Workers has it. http: and https: go over the host's outbound client
// (FetchHost), one host request per network hop: redirects are followed here, so the host checks the destination of
// every hop. A response body streams in chunk by chunk as the guest reads it. Each hop counts against the incoming
// request's subrequest limit and carries its hop count (loop protection).

const fetchHost = host.fetch();
const FETCH_MAX_REDIRECTS = 20;
const FETCH_REQUEST_BODY_HEADERS = ['content-encoding', 'content-language', 'content-location', 'content-type'];
const FETCH_ONE_TIME_BODY_MESSAGE = 'A request with a one-time-use body (it was initialized from a stream, not a '
  + 'buffer) encountered a redirect requiring the body to be retransmitted. To avoid this error in the future, '
  + 'construct this request from a buffer-like body initializer.';
let fetchSubrequestLimit = -1;

function fetchAbortReason(signal) {
  const reason = signal.reason;
  return reason !== undefined ? reason : new DOMException('The operation was aborted.', 'AbortError');
}

function fetchSignalOf(request, init) {
  const signal = init !== undefined && init !== null && init.signal !== undefined ? init.signal : request.signal;
  return signal === undefined || signal === null ? null : signal;
}

// scheme://authority, lower-cased: enough to tell whether a redirect leaves the origin.
function fetchOrigin(url) {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url);
  return m === null ? url : m[0].toLowerCase();
}

// Response headers from the host: "name\nvalue\nname\nvalue...".
function fetchResponseHeaders(lines) {
  const headers = new Headers();
  const list = headersList(headers);
  if (lines.length > 0) {
    const parts = lines.split('\n');
    for (let i = 0; i + 1 < parts.length; i += 2) {
      list.push([parts[i].toLowerCase(), parts[i + 1]]);
    }
  }
  return headers;
}

function fetchHeaderValue(headers, name) {
  for (const [n, v] of headersList(headers)) {
    if (n === name) {
      return v;
    }
  }
  return null;
}

// One fetch() from its first hop to the end of the response body.
class FetchOperation {
  constructor(request, signal, invocation, resolve, reject) {
    this.method = request.method;
    this.headers = new Headers(request.headers);
    this.redirectMode = request.redirect;
    this.urlList = [request.url];
    this.signal = signal;
    this.invocation = invocation;
    this.resolve = resolve;
    this.reject = reject;
    this.bodyBytes = null;
    this.bodyReader = null;
    this.call = null;
    this.controller = null; // the response body's stream controller, once the response is out
    this.pullDone = null;
    this.settled = false; // the promise fetch() returned is resolved or rejected
    this.done = false; // nothing more happens: the body ended, or the fetch failed or was aborted
    this.onAbort = () => this.abort();
    const state = requestBodyState(request);
    if (state !== null) {
      state.used = true;
      if (state.stream === null) {
        this.bodyBytes = state.bytes;
      } else {
        this.bodyReader = state.stream.getReader();
      }
    }
    if (signal !== null && typeof signal.addEventListener === 'function') {
      signal.addEventListener('abort', this.onAbort);
    }
  }

  // Sends one hop to `url`.
  send(url) {
    const inv = this.invocation;
    if (fetchSubrequestLimit < 0) {
      fetchSubrequestLimit = fetchHost.subrequestLimit();
    }
    if (++inv.subrequests > fetchSubrequestLimit) {
      this.fail(new Error('Too many subrequests.'));
      return;
    }
    if (inv.hops < 0) {
      inv.hops = inv.head === null ? 0 : fetchHost.incomingHops(inv.head);
    }
    const list = headersList(this.headers);
    const flat = new Array(list.length * 2);
    for (let i = 0; i < list.length; i++) {
      flat[2 * i] = list[i][0];
      flat[2 * i + 1] = list[i][1];
    }
    const bytes = this.bodyBytes === null ? null : exactBuffer(this.bodyBytes);
    const streamed = this.bodyReader !== null;
    const call = fetchHost.start(this.method, url, flat, bytes, streamed, inv.hops + 1, inv.head, this.listener());
    this.call = call;
    if (streamed) {
      this.pumpBody(call, this.bodyReader);
    }
  }

  listener() {
    return {
      head: (status, statusText, lines) => {
        currentInvocation = this.invocation;
        this.onHead(status, statusText, lines);
      },
      data: (buffer) => {
        currentInvocation = this.invocation;
        this.onData(new Uint8Array(new Uint8Array(buffer)));
      },
      end: () => {
        currentInvocation = this.invocation;
        this.onEnd();
      },
      error: (message) => {
        currentInvocation = this.invocation;
        this.fail(new TypeError(message));
      },
    };
  }

  onHead(status, statusText, lines) {
    const headers = fetchResponseHeaders(lines);
    if (REDIRECT_STATUSES.has(status) && this.redirectMode !== 'manual') {
      const location = fetchHeaderValue(headers, 'location');
      if (location !== null) {
        this.call.discard();
        if (this.redirectMode === 'error') {
          this.fail(new TypeError("Fetch failed: the response is a redirect and the request's redirect mode is 'error'."));
        } else {
          this.followRedirect(status, location);
        }
        return;
      }
    }
    setHeadersGuard(headers, 'immutable');
    const url = this.urlList[this.urlList.length - 1];
    const redirected = this.urlList.length > 1;
    let stream = null;
    if (NULL_BODY_STATUSES.has(status) || this.method === 'HEAD') {
      this.call.pull(); // lets the end of the (empty) body through
    } else {
      stream = this.bodyStream();
    }
    this.settled = true;
    this.resolve(responseFromFetch(status, statusText, headers, stream, url, redirected));
  }

  bodyStream() {
    return new ReadableStream({
      start: (controller) => {
        this.controller = controller;
      },
      pull: () => new Promise((resolve) => {
        this.pullDone = resolve;
        this.call.pull();
      }),
      cancel: () => {
        this.finish();
        this.call.cancel();
      },
    });
  }

  onData(chunk) {
    if (this.controller !== null && !this.done) {
      this.controller.enqueue(chunk);
    }
    this.pulled();
  }

  onEnd() {
    if (this.controller !== null && !this.done) {
      this.controller.close();
    }
    this.finish();
    this.pulled();
  }

  pulled() {
    const done = this.pullDone;
    if (done !== null) {
      this.pullDone = null;
      done();
    }
  }

  // HTTP-redirect fetch (Fetch Standard 4.4).
  followRedirect(status, location) {
    const from = this.urlList[this.urlList.length - 1];
    const to = fetchHost.resolve(from, location);
    if (to === null) {
      this.fail(new TypeError('Invalid redirect location: ' + location));
      return;
    }
    if (!/^https?:/i.test(to)) {
      this.fail(new TypeError('Fetch API cannot load: ' + to));
      return;
    }
    if (this.urlList.length > FETCH_MAX_REDIRECTS) {
      this.fail(new TypeError('Too many redirects. The last one went to ' + to));
      return;
    }
    if (status !== 303 && this.bodyReader !== null) {
      this.fail(new TypeError(FETCH_ONE_TIME_BODY_MESSAGE));
      return;
    }
    if (((status === 301 || status === 302) && this.method === 'POST')
        || (status === 303 && this.method !== 'GET' && this.method !== 'HEAD')) {
      this.method = 'GET';
      this.bodyBytes = null;
      this.dropBodyReader();
      for (const name of FETCH_REQUEST_BODY_HEADERS) {
        this.headers.delete(name);
      }
    }
    if (fetchOrigin(from) !== fetchOrigin(to)) {
      this.headers.delete('authorization');
    }
    this.urlList.push(to);
    this.send(to);
  }

  async pumpBody(call, reader) {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (this.call !== call || this.done) {
          return;
        }
        if (done) {
          call.end();
          return;
        }
        if (!(value instanceof Uint8Array)) {
          throw new TypeError('This ReadableStream did not return bytes.');
        }
        if (value.length > 0 && !call.write(exactBuffer(value))) {
          await new Promise((resolve) => call.onWritable(resolve));
        }
      }
    } catch (e) {
      if (this.call === call) {
        call.cancel();
        this.fail(e);
      }
    }
  }

  dropBodyReader() {
    const reader = this.bodyReader;
    if (reader !== null) {
      this.bodyReader = null;
      reader.cancel().catch(() => {});
    }
  }

  abort() {
    if (this.done) {
      return;
    }
    if (this.call !== null) {
      this.call.cancel();
    }
    this.fail(fetchAbortReason(this.signal));
  }

  // Rejects the fetch, or errors the response body when the response is already out.
  fail(error) {
    if (this.done) {
      return;
    }
    this.finish();
    this.dropBodyReader();
    if (!this.settled) {
      this.settled = true;
      this.reject(error);
    } else if (this.controller !== null) {
      this.controller.error(error);
    }
    this.pulled();
  }

  finish() {
    this.done = true;
    const signal = this.signal;
    if (signal !== null && typeof signal.removeEventListener === 'function') {
      signal.removeEventListener('abort', this.onAbort);
    }
  }
}

// A data: URL is answered without the network, by the Fetch Standard's data: URL processor (processDataUrl, from
// dataurl.js once that file is in the prelude; until then data: URLs are refused like other schemes).
function fetchDataUrl(url) {
  const result = typeof processDataUrl === 'function' ? processDataUrl(url) : null;
  if (result === null) {
    return Promise.reject(new TypeError('Fetch API cannot load: ' + url));
  }
  const headers = new Headers();
  headersList(headers).push(['content-type', result.mimeType]);
  setHeadersGuard(headers, 'immutable');
  return Promise.resolve(responseFromFetch(200, 'OK', headers, streamOfBytes(result.body), url, false));
}

function fetch(input, init = undefined) {
  requireHandlerScope();
  let request;
  try {
    request = new Request(input, init);
  } catch (e) {
    return Promise.reject(e);
  }
  const signal = fetchSignalOf(request, init);
  if (signal !== null && signal.aborted) {
    return Promise.reject(fetchAbortReason(signal));
  }
  const url = request.url;
  if (/^data:/i.test(url)) {
    return fetchDataUrl(url);
  }
  if (!/^https?:/i.test(url)) {
    return Promise.reject(new TypeError('Fetch API cannot load: ' + url));
  }
  const invocation = currentInvocation;
  return new Promise((resolve, reject) => {
    new FetchOperation(request, signal, invocation, resolve, reject).send(url);
  });
}
defineGlobal('fetch', fetch);
