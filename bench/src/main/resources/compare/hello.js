// compare workload "hello": a constant text answer (text/plain;charset=UTF-8, the Response default).
export default { fetch() { return new Response('Hello World!'); } };
