// The ceiling every figure is compared with: Express 5 answering "Hello World!" and nothing
// else, on the same machine, in the same run. PORT and HOST come from the harness.
import express from 'express';

const app = express();
app.get('/', (_req, res) => {
  res.send('Hello World!');
});
app.get('/healthz', (_req, res) => {
  res.send('ok');
});
const server = app.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
