// The incoming request ("invocation") that the running guest code works for. Per-request limits hang off it: the
// subrequest count of fetch(), the KV operation count and the hop count of loop protection. dispatch.js starts one per request; host
// callbacks that belong to one (fetch events, timers) make it current again before they run guest code.

class Invocation {
  constructor(head) {
    this.head = head; // the host's HttpRequestHead, or null
    this.subrequests = 0;
    this.kvOperations = 0;
    this.hops = -1; // the hop count the request arrived with, read from the head on first use
  }
}

let currentInvocation = new Invocation(null);
