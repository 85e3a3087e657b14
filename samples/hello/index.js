// The smallest useful worker: answers every request with a greeting and what it was asked for.
export default {
  async fetch(request, env, ctx) {
    return new Response(`Hello from isoworker! You asked for ${request.method} ${request.url}\n`, {
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  },
};
