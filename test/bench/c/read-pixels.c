/* Decoder reference for the engines benchmark: reads a PWG/CUPS raster held in memory with libcups'
 * cupsRasterReadHeader2 + cupsRasterReadPixels, REPEAT times, and prints one JSON line of per-run milliseconds.
 * Build: cc -O2 -o read-pixels read-pixels.c -lcups.  Usage: read-pixels FILE REPEAT
 * SPDX-License-Identifier: Apache-2.0 */
#include <cups/raster.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct source {
  const unsigned char *data;
  size_t size;
  size_t pos;
};

/* cups_raster_iocb_t over a memory buffer, so the comparison excludes file I/O on both sides. */
static ssize_t read_memory(void *ctx, unsigned char *buf, size_t bytes) {
  struct source *s = ctx;
  size_t n = s->size - s->pos;
  if (n > bytes) n = bytes;
  memcpy(buf, s->data + s->pos, n);
  s->pos += n;
  return (ssize_t)n;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s FILE REPEAT\n", argv[0]);
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (f == NULL) {
    perror(argv[1]);
    return 1;
  }
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *data = malloc((size_t)size);
  if (data == NULL || fread(data, 1, (size_t)size, f) != (size_t)size) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  fclose(f);
  int repeat = atoi(argv[2]);
  printf("{\"bytes\":%ld,\"runsMs\":[", size);
  unsigned long pages = 0, lines = 0, checksum = 0;
  for (int r = 0; r < repeat; r++) {
    struct source src = {data, (size_t)size, 0};
    double start = now_ms();
    cups_raster_t *ras = cupsRasterOpenIO(read_memory, &src, CUPS_RASTER_READ);
    cups_page_header2_t header;
    pages = lines = checksum = 0;
    while (cupsRasterReadHeader2(ras, &header)) {
      unsigned char *line = malloc(header.cupsBytesPerLine);
      for (unsigned y = 0; y < header.cupsHeight; y++) {
        if (cupsRasterReadPixels(ras, line, header.cupsBytesPerLine) == 0) break;
        checksum += line[y % header.cupsBytesPerLine];
        lines++;
      }
      free(line);
      pages++;
    }
    cupsRasterClose(ras);
    printf("%s%.3f", r == 0 ? "" : ",", now_ms() - start);
  }
  printf("],\"pages\":%lu,\"lines\":%lu,\"checksum\":%lu}\n", pages, lines, checksum);
  free(data);
  return 0;
}
