// compare workload "json-api", and WarmDispatchBenchmark worker "api": parses the URL, reads a query
// parameter and three request headers, answers JSON.
export default {
  fetch(request) {
    const url = new URL(request.url);
    return Response.json({
      path: url.pathname,
      q: url.searchParams.get('q'),
      agent: request.headers.get('user-agent'),
      accept: request.headers.get('accept'),
      id: request.headers.get('x-request-id'),
    });
  },
};
