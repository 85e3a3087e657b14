// A URL shortener on Workers KV: POST a URL, get a short code; GET /CODE redirects and counts the visit.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function newCode(length) {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
}

function problem(status, error) {
  return Response.json({ error }, { status });
}

async function create(request, env) {
  let target;
  try {
    ({ url: target } = await request.json());
    target = new URL(target);
  } catch {
    return problem(400, 'send {"url": "https://..."}');
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    return problem(400, 'only http and https URLs can be shortened');
  }
  const length = Number(env.CODE_LENGTH) || 7;
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = newCode(length);
    if ((await env.LINKS.get(code)) === null) {
      await env.LINKS.put(code, target.href, { metadata: { created: Date.now(), visits: 0 } });
      const short = new URL(`/${code}`, request.url).href;
      return Response.json({ code, short, url: target.href }, { status: 201 });
    }
  }
  return problem(503, 'no free code, try again');
}

async function follow(code, env, ctx) {
  const { value, metadata } = await env.LINKS.getWithMetadata(code);
  if (value === null) {
    return problem(404, `no link ${code}`);
  }
  // Counting happens after the answer: the redirect does not wait for the write.
  ctx.waitUntil(env.LINKS.put(code, value, { metadata: { ...metadata, visits: (metadata?.visits ?? 0) + 1 } }));
  return Response.redirect(value, 302);
}

async function stats(code, env) {
  const { value, metadata } = await env.LINKS.getWithMetadata(code);
  return value === null ? problem(404, `no link ${code}`) : Response.json({ code, url: value, ...metadata });
}

async function remove(code, request, env) {
  if (!env.ADMIN_TOKEN || request.headers.get('authorization') !== `Bearer ${env.ADMIN_TOKEN}`) {
    return problem(401, 'deleting needs Authorization: Bearer ADMIN_TOKEN');
  }
  await env.LINKS.delete(code);
  return new Response(null, { status: 204 });
}

async function list(env) {
  const { keys } = await env.LINKS.list({ limit: 100 });
  return Response.json({ links: keys.map((k) => ({ code: k.name, ...k.metadata })) });
}

export default {
  async fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    const stat = pathname.match(/^\/api\/links\/([A-Za-z0-9]+)$/);
    if (pathname === '/api/links' && request.method === 'POST') {
      return create(request, env);
    }
    if (pathname === '/api/links' && request.method === 'GET') {
      return list(env);
    }
    if (stat && request.method === 'GET') {
      return stats(stat[1], env);
    }
    if (stat && request.method === 'DELETE') {
      return remove(stat[1], request, env);
    }
    const code = pathname.match(/^\/([A-Za-z0-9]+)$/);
    if (code && request.method === 'GET') {
      return follow(code[1], env, ctx);
    }
    return problem(404, `no route for ${request.method} ${pathname}`);
  },
};
