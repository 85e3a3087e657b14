// A cron job that writes to KV: every run records when it was due and which schedule fired it, keeps the last 20
// runs, and the daily schedule also writes a summary. GET / shows what the runs left.
const KEEP = 20;

export default {
  async scheduled(controller, env, ctx) {
    const runs = JSON.parse((await env.STATE.get('runs')) ?? '[]');
    runs.unshift({ cron: controller.cron, scheduledTime: new Date(controller.scheduledTime).toISOString() });
    await env.STATE.put('runs', JSON.stringify(runs.slice(0, KEEP)));
    if (controller.cron === '0 3 * * *') {
      const day = new Date(controller.scheduledTime).toISOString().slice(0, 10);
      await env.STATE.put(`summary/${day}`, JSON.stringify({ runsKept: Math.min(runs.length, KEEP) }),
        { expirationTtl: 7 * 24 * 3600 });
    }
  },

  async fetch(request, env) {
    const runs = JSON.parse((await env.STATE.get('runs')) ?? '[]');
    const { keys } = await env.STATE.list({ prefix: 'summary/' });
    return Response.json({ lastRun: runs[0] ?? null, runs, summaries: keys.map((k) => k.name) });
  },
};
