# Upward: Node.js 24 runs the TypeScript sources directly, so there is no build step;
# the first stage only installs production dependencies.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data
# glibc gives every thread that allocates concurrently its own malloc arena (up to 8 per core)
# and keeps what they freed; V8's compiler and GC threads made those ~20 MB of the server's
# resident memory under load. Two arenas: ~10-20 MB less at the peak, no measurable slowdown.
# The benchmark runs the app with this too (bench/processes.ts reads it from here).
ENV MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY migrations ./migrations
COPY views ./views
COPY public ./public
# The compile cache (src/compile-cache.mjs) is written by the user the app runs as.
RUN mkdir -p /data node_modules/.cache/upward-compile-cache \
 && chown node:node /data node_modules/.cache/upward-compile-cache
USER node
# Type-strip and compile every module once, here: containers then start from the compile
# cache without loading Node's TypeScript stripper (~25 MB less resident). The CMD below with
# --warm-up, which loads the modules, writes the cache and exits (src/main.ts).
RUN ["node", "--max-semi-space-size=8", "--max-old-space-size=512", "--import", "./src/compile-cache.mjs", "src/main.ts", "--warm-up"]
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# main.ts applies pending migrations before it listens. The command is the `start` script of
# package.json, word for word (the benchmark starts the app with that script's flags and
# checks that this CMD and the warm-up above agree with it). Measured with `npm run bench` on
# PostgreSQL (50 connections; a 2-core, 24 GB machine), these flags and MALLOC_ARENA_MAX above
# take the server's peak RSS from ~340-400 MB to ~190-200 MB (115 MB right after start):
#   --max-semi-space-size=8   V8's young generation: semi-spaces of 8 MB instead of the 64 MB
#                             V8 picks on a large machine (Node is built without pointer
#                             compression, so the new space is twice that: 16 MB, not 128 MB).
#   --max-old-space-size=512  a 512 MB ceiling instead of the 4 GB V8 derives from the machine's
#                             memory. V8 caps how far the old generation may grow between full
#                             collections by the ceiling: up to 4x the live heap from 2 GB on,
#                             ~1.4x at 512 MB (old space at its peak ~50 MB instead of ~90 MB).
#                             The live heap is ~30-50 MB; one that really needed more than
#                             512 MB would end the process (out of memory).
#   --import ./src/compile-cache.mjs   the compile cache: ~25 MB less from the start.
# The price is collection work, paid by the report page: ~8x the full collections and ~7x the
# scavenges per view, ~10-15% more CPU per view at a fixed 300 views/s (most of it concurrent
# marking on another thread), and by the survey page: at a fixed 2,500 views/s its CPU per view
# was ~170 µs with these flags against ~145 µs with --max-old-space-size=4096 (1024 made no
# difference; 2048 gave ~130 µs but peaks of 215 MB). --max-semi-space-size=16 with
# --max-old-space-size=1024 halves the report's price for ~20-25 MB more (docs/BENCHMARKS.md).
CMD ["node", "--max-semi-space-size=8", "--max-old-space-size=512", "--import", "./src/compile-cache.mjs", "src/main.ts"]
