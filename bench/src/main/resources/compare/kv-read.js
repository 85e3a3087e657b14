// compare workload "kv-read": one KV read per request (binding KV, key 'greeting'), answered as text.
export default {
  async fetch(request, env) {
    return new Response(await env.KV.get('greeting'), { headers: { 'content-type': 'text/plain' } });
  },
};
