// The engine's warm-up worker (IsolatePool.warmUp): run before the server accepts traffic, so that a tenant's first
// requests do not pay for the server's own cold code paths (the prelude's Web APIs run interpreted at first, and the
// host classes behind them load on first use) and hit their CPU limit. It touches what most workers use on their
// hot path. It runs with the largest CPU limit, never with a tenant's. Its fetch() calls are answered in memory by
// WarmUpOrigin: nothing leaves the process.
const bytes = new TextEncoder().encode('isoworker warm-up '.repeat(64));

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const n = url.searchParams.get('n');
    const headers = new Headers(request.headers);
    headers.set('x-warm', String(n));
    headers.append('vary', 'accept');
    const body = await request.text();
    const parsed = JSON.parse(body);
    const again = new Request(url.toString() + '&again=1', { method: 'POST', headers, body: JSON.stringify(parsed) });
    const json = await again.json();
    const buffer = await new Response(bytes).arrayBuffer();
    const text = new TextDecoder().decode(new Uint8Array(buffer));
    const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    const random = crypto.getRandomValues(new Uint8Array(16));
    const id = crypto.randomUUID();
    const encoded = btoa(String.fromCharCode(...hash));
    const decoded = atob(encoded);
    const copy = structuredClone({ json, id, at: Date.now(), list: [1, 2, 3] });
    const fetched = await fetch('http://origin.warmup/item?n=' + n, { headers: { accept: 'text/plain' } });
    const fetchedText = await fetched.text();
    const posted = await fetch(new Request('http://origin.warmup/items', { method: 'POST', headers, body }));
    const reader = posted.body.getReader();
    let postedBytes = 0;
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      postedBytes += part.value.byteLength;
    }
    const summary = {
      path: url.pathname, n, accept: request.headers.get('accept'), method: request.method,
      length: text.length + decoded.length + random.length + fetchedText.length + postedBytes, copy, headers: [...headers.keys()],
      search: [...url.searchParams.entries()],
    };
    if (Number(n) % 2 === 0) {
      return Response.json(summary, { headers: { 'cache-control': 'no-store' } });
    }
    let chunks = 0;
    const stream = new ReadableStream({
      pull(controller) {
        if (chunks++ < 4) {
          controller.enqueue(bytes);
        } else {
          controller.close();
        }
      },
    });
    return new Response(stream.pipeThrough(new TransformStream()), { status: 200, headers: { 'x-n': String(n) } });
  },
};
