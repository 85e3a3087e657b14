// A small JSON API with routing: a book list kept in the isolate's memory (it resets when the isolate is replaced;
// see the url-shortener sample for data that lasts, in KV).
import { Router, json, problem } from './router.js';

const books = new Map([
  ['1', { id: '1', title: 'The Left Hand of Darkness', author: 'Ursula K. Le Guin', year: 1969 }],
  ['2', { id: '2', title: 'Kindred', author: 'Octavia E. Butler', year: 1979 }],
]);
let nextId = 3;

const router = new Router()
  .get('/api/books', ({ url }) => {
    const author = url.searchParams.get('author');
    const list = [...books.values()].filter((b) => !author || b.author.toLowerCase().includes(author.toLowerCase()));
    return json({ books: list, count: list.length });
  })
  .get('/api/books/:id', ({ params }) => {
    const book = books.get(params.id);
    return book ? json(book) : problem(404, `no book ${params.id}`);
  })
  .post('/api/books', async ({ request }) => {
    if (!(request.headers.get('content-type') ?? '').startsWith('application/json')) {
      return problem(415, 'send application/json');
    }
    let body;
    try {
      body = await request.json();
    } catch {
      return problem(400, 'the body is not JSON');
    }
    if (typeof body?.title !== 'string' || typeof body?.author !== 'string') {
      return problem(422, 'title and author are required strings');
    }
    const book = { id: String(nextId++), title: body.title, author: body.author, year: body.year ?? null };
    books.set(book.id, book);
    return json(book, { status: 201, headers: { location: `/api/books/${book.id}` } });
  })
  .delete('/api/books/:id', ({ params }) => {
    return books.delete(params.id) ? new Response(null, { status: 204 }) : problem(404, `no book ${params.id}`);
  })
  .get('/api/info', ({ request, env }) => json({
    version: env.API_VERSION,
    userAgent: request.headers.get('user-agent'),
    colo: request.cf?.colo ?? null,
  }));

export default {
  fetch(request, env, ctx) {
    return router.handle(request, env, ctx);
  },
};
