// A minimal router on URLPattern: routes by method and path, with :params.
export function json(value, init = {}) {
  return Response.json(value, init);
}

export function problem(status, detail) {
  return Response.json({ error: detail }, { status });
}

export class Router {
  #routes = [];

  #add(method, path, handler) {
    this.#routes.push({ method, pattern: new URLPattern({ pathname: path }), handler });
    return this;
  }

  get(path, handler) { return this.#add('GET', path, handler); }
  post(path, handler) { return this.#add('POST', path, handler); }
  delete(path, handler) { return this.#add('DELETE', path, handler); }

  async handle(request, env, ctx) {
    const url = new URL(request.url);
    const allowed = [];
    for (const route of this.#routes) {
      const match = route.pattern.exec({ pathname: url.pathname });
      if (!match) {
        continue;
      }
      if (route.method !== request.method && !(route.method === 'GET' && request.method === 'HEAD')) {
        allowed.push(route.method);
        continue;
      }
      return route.handler({ request, env, ctx, url, params: match.pathname.groups });
    }
    if (allowed.length > 0) {
      return new Response(JSON.stringify({ error: `use ${allowed.join(' or ')}` }), {
        status: 405,
        headers: { allow: allowed.join(', '), 'content-type': 'application/json' },
      });
    }
    return problem(404, `no route for ${request.method} ${url.pathname}`);
  }
}
