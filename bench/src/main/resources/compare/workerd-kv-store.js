// The KV storage behind workerd's kvNamespace binding in the comparison (workerd has none of its own): the binding
// sends each call as an HTTP request to this service. A get is `GET https://fake-host/<encodeURIComponent(key)>
// ?urlencoded=true`, answered with the value's bytes (200) or 404 when the key is missing; a put is a PUT with the
// value as body. The values live in memory; the comparison puts 'greeting' through this service's own socket.
const values = new Map();

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const key = decodeURIComponent(url.pathname.slice(1));
    if (request.method === 'GET') {
      const value = values.get(key);
      return value === undefined ? new Response(null, { status: 404 }) : new Response(value);
    }
    if (request.method === 'PUT') {
      values.set(key, await request.text());
      return new Response(null, { status: 200 });
    }
    if (request.method === 'DELETE') {
      values.delete(key);
      return new Response(null, { status: 200 });
    }
    return new Response('unsupported KV call ' + request.method + ' ' + url.pathname + url.search, { status: 501 });
  },
};
