// Stride-1 2-D convolution kernels for the TensorFlow.js WASM backend, in
// 128-bit WebAssembly SIMD (relaxed fused multiply-add), working in place on
// the tfjs heap: every pointer is an offset into the tfjs-backend-wasm
// module's memory, which this module imports. Tensors are tfjs' layouts:
// activations NHWC, filters HWIO [kh][kw][cin][cout]. No transposes or copies
// of activations; the input gradient repacks only the (small) filter.
//
// The key view: for a fixed filter row a and output pixel x, the (b, ci)
// terms of the reduction read the input at one contiguous span,
// (x - left) * cin + k for k = b * cin + ci in [0, kw * cin), and the filter at
// row a * kw * cin + k. So a convolution row is a product of contiguous
// spans; padding only narrows the k range at the edges.
//
// Built by scripts/build_kernels.sh (clang 16, wasm32, -msimd128
// -mrelaxed-simd); no static data, no libc.

#include <wasm_simd128.h>

typedef v128_t V;
#define LOAD(p) wasm_v128_load(p)
#define STORE(p, v) wasm_v128_store(p, v)
#define SPLAT(p) wasm_v128_load32_splat(p)
#define FMA(a, b, c) __builtin_wasm_relaxed_madd_f32x4(a, b, c)
#define INLINE static inline __attribute__((always_inline))
#define EXPORT __attribute__((visibility("default")))

INLINE int imin(int a, int b) { return a < b ? a : b; }
INLINE int imax(int a, int b) { return a > b ? a : b; }
// Floor division for b > 0.
INLINE int fdiv(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// ---------------------------------------------------------------------------
// Forward (also the input gradient, with a flipped, channel-swapped filter).

// P output pixels x VV vectors of 4 output channels. xr: input at row a0,
// offset (x0 - left) * c; wp: filter at row a0, channel c0; k in [klo, khi).
INLINE void fw_tile(const int P, const int VV, const float* xr, int rs, int na,
                    const float* wp, int ws, int co, int c, int klo, int khi,
                    const float* bias, int has_bias, float* out, int relu) {
  V acc[6][4];
  for (int v = 0; v < VV; v++) {
    V b = has_bias ? LOAD(bias + 4 * v) : wasm_f32x4_splat(0.0f);
    for (int p = 0; p < P; p++) acc[p][v] = b;
  }
  for (int a = 0; a < na; a++) {
    const float* xa = xr + a * rs;
    const float* wa = wp + a * ws;
    for (int k = klo; k < khi; k++) {
      V wv[4];
      for (int v = 0; v < VV; v++) wv[v] = LOAD(wa + k * co + 4 * v);
      for (int p = 0; p < P; p++) {
        V s = SPLAT(xa + p * c + k);
        for (int v = 0; v < VV; v++) acc[p][v] = FMA(s, wv[v], acc[p][v]);
      }
    }
  }
  V zero = wasm_f32x4_splat(0.0f);
  for (int p = 0; p < P; p++) {
    for (int v = 0; v < VV; v++) {
      V r = relu ? wasm_f32x4_pmax(acc[p][v], zero) : acc[p][v];
      STORE(out + p * co + 4 * v, r);
    }
  }
}

typedef struct {
  const float* x;
  const float* w;
  const float* bias;
  float* y;
  int n, h, wd, c, ho, wo, co, kh, kw, top, left, has_bias, relu;
} Conv;

// One output row's channels [c0, c0 + 4 VV) over all pixels.
#ifndef FW_P4
#define FW_P4 2
#endif
#ifndef FW_P2
#define FW_P2 4
#endif
INLINE void fw_row_block(const int VV, const Conv* q, const float* xrow, int na,
                         const float* wrow, float* yrow, int c0) {
  const int c = q->c, co = q->co, kwc = q->kw * q->c, rs = q->wd * q->c;
  const int ws = kwc * co;
  const float* bias = q->bias + c0;
  const int PT = VV == 4 ? FW_P4 : VV == 2 ? FW_P2 : 4;
  const int xi_lo = imin(imax(q->left, 0), q->wo);
  const int xi_hi = imax(imin(q->wd - q->kw + q->left + 1, q->wo), xi_lo);
  for (int x = 0; x < q->wo; x++) {
    if (x == xi_lo) {
      // Interior pixels: the whole k range, in tiles of PT pixels.
      for (; x + PT <= xi_hi; x += PT) {
        fw_tile(PT, VV, xrow + (x - q->left) * c, rs, na, wrow + c0, ws, co, c, 0, kwc,
                bias, q->has_bias, yrow + x * co + c0, q->relu);
      }
      for (; x < xi_hi; x++) {
        fw_tile(1, VV, xrow + (x - q->left) * c, rs, na, wrow + c0, ws, co, c, 0, kwc,
                bias, q->has_bias, yrow + x * co + c0, q->relu);
      }
      if (x >= q->wo) break;
    }
    const int off = (x - q->left) * c;
    const int klo = imax(0, -off), khi = imin(kwc, rs - off);
    fw_tile(1, VV, xrow + off, rs, na, wrow + c0, ws, co, c, klo, imax(khi, klo), bias,
            q->has_bias, yrow + x * co + c0, q->relu);
  }
}

static void conv_forward(const Conv* q) {
  const int c = q->c, co = q->co, kwc = q->kw * q->c, rs = q->wd * q->c;
  const int co8 = co - co % 8, co4 = co - co % 4;
  for (int img = 0; img < q->n; img++) {
    for (int oy = 0; oy < q->ho; oy++) {
      const int a0 = imax(0, q->top - oy);
      const int a1 = imin(q->kh, q->h + q->top - oy);
      const int na = imax(a1 - a0, 0);
      const float* xrow = q->x + ((img * q->h + oy - q->top + a0) * q->wd) * c;
      const float* wrow = q->w + a0 * kwc * co;
      float* yrow = q->y + ((img * q->ho + oy) * q->wo) * co;
      int c0 = 0;
      if (co >= 16 && co % 16 == 0) {
        for (; c0 < co; c0 += 16) fw_row_block(4, q, xrow, na, wrow, yrow, c0);
      }
      for (; c0 < co8; c0 += 8) fw_row_block(2, q, xrow, na, wrow, yrow, c0);
      for (; c0 < co4; c0 += 4) fw_row_block(1, q, xrow, na, wrow, yrow, c0);
      // Output channels past the last multiple of 4: scalar.
      for (int x = 0; x < q->wo && co4 < co; x++) {
        const int off = (x - q->left) * c;
        const int klo = imax(0, -off), khi = imin(kwc, rs - off);
        for (int cc = co4; cc < co; cc++) {
          float s = q->has_bias ? q->bias[cc] : 0.0f;
          for (int a = 0; a < na; a++) {
            const float* xa = xrow + a * rs + off;
            const float* wa = wrow + a * kwc * co;
            for (int k = klo; k < khi; k++) s += xa[k] * wa[k * co + cc];
          }
          yrow[x * co + cc] = (q->relu && s < 0.0f) ? 0.0f : s;
        }
      }
    }
  }
}

// y = conv(x, w) (+ bias) (ReLU), stride 1, dilation 1, NHWC / HWIO.
EXPORT void conv2d_forward(const float* x, const float* w, const float* bias, float* y, int n,
                           int h, int wd, int c, int ho, int wo, int co, int kh, int kw, int top,
                           int left, int has_bias, int relu) {
  Conv q = {x, w, bias, y, n, h, wd, c, ho, wo, co, kh, kw, top, left, has_bias, relu};
  conv_forward(&q);
}

// ---------------------------------------------------------------------------
// Input gradient.

// dx[n, iy, ix, ci] = sum_{a, b, o} dy[n, iy + top - a, ix + left - b, o] w[a, b, ci, o],
// for few input channels (ci < 8, e.g. the first layer's single channel): a dot
// product over the contiguous output channels o for each input pixel.
static void input_grad_dot(const float* dy, const float* w, float* dx, int n, int h, int wd,
                           int ci, int ho, int wo, int co, int kh, int kw, int top, int left) {
  const int co4 = co - co % 4;
  for (int img = 0; img < n; img++) {
    for (int iy = 0; iy < h; iy++) {
      const int a0 = imax(0, iy + top - ho + 1), a1 = imin(kh, iy + top + 1);
      for (int ix = 0; ix < wd; ix++) {
        const int b0 = imax(0, ix + left - wo + 1), b1 = imin(kw, ix + left + 1);
        for (int cc = 0; cc < ci; cc++) {
          V acc0 = wasm_f32x4_splat(0.0f), acc1 = acc0;
          float s = 0.0f;
          for (int a = a0; a < a1; a++) {
            const float* drow = dy + ((img * ho + iy + top - a) * wo) * co;
            for (int b = b0; b < b1; b++) {
              const float* d = drow + (ix + left - b) * co;
              const float* f = w + ((a * kw + b) * ci + cc) * co;
              int o = 0;
              for (; o + 8 <= co4; o += 8) {
                acc0 = FMA(LOAD(d + o), LOAD(f + o), acc0);
                acc1 = FMA(LOAD(d + o + 4), LOAD(f + o + 4), acc1);
              }
              for (; o < co4; o += 4) acc0 = FMA(LOAD(d + o), LOAD(f + o), acc0);
              for (; o < co; o++) s += d[o] * f[o];
            }
          }
          V t = wasm_f32x4_add(acc0, acc1);
          s += wasm_f32x4_extract_lane(t, 0) + wasm_f32x4_extract_lane(t, 1) +
               wasm_f32x4_extract_lane(t, 2) + wasm_f32x4_extract_lane(t, 3);
          dx[((img * h + iy) * wd + ix) * ci + cc] = s;
        }
      }
    }
  }
}

// dx = conv(dy, flip(w) with channels swapped), padded by k - 1 - pad; the
// repacked filter goes to `scratch` (kh * kw * ci * co floats). For ci < 8 the
// dot-product kernel needs no scratch.
EXPORT void conv2d_backprop_input(const float* dy, const float* w, float* dx, float* scratch,
                                  int n, int h, int wd, int ci, int ho, int wo, int co, int kh,
                                  int kw, int top, int left) {
  if (ci < 8) {
    input_grad_dot(dy, w, dx, n, h, wd, ci, ho, wo, co, kh, kw, top, left);
    return;
  }
  for (int a = 0; a < kh; a++) {
    for (int b = 0; b < kw; b++) {
      const float* src = w + ((kh - 1 - a) * kw + (kw - 1 - b)) * ci * co;
      float* dst = scratch + (a * kw + b) * co * ci;
      for (int i = 0; i < ci; i++) {
        for (int o = 0; o < co; o++) dst[o * ci + i] = src[i * co + o];
      }
    }
  }
  Conv q = {dy, scratch, 0, dx, n, ho, wo, co, h, wd, ci, kh, kw, kh - 1 - top, kw - 1 - left, 0,
            0};
  conv_forward(&q);
}

// ---------------------------------------------------------------------------
// Filter gradient: dw[a, k, o] = sum_{n, y, x} x[n, y - top + a, (x - left) c + k] dy[n, y, x, o].

// Rows [r0, r0 + R) of dw (at filter row a) x channels [c0, c0 + 4 VV), over
// `ny` output rows of one image (xrow, dyrow: the first row's input and output
// gradient rows; rows are xs and ds floats apart): accumulators stay in
// registers across all the image's pixels, whose data is in the L2 cache.
INLINE void fg_tile(const int R, const int VV, const float* xrow, const float* dyrow, int ny,
                    int xs, int ds, float* dwa, int r0, int c0, int c, int wd, int wo, int co,
                    int left) {
  V acc[8][4];
  for (int r = 0; r < R; r++) {
    for (int v = 0; v < VV; v++) acc[r][v] = LOAD(dwa + (r0 + r) * co + c0 + 4 * v);
  }
  const int rs = wd * c;
  // Pixels where all R rows read inside the input row.
  const int x_lo = imax(0, left - fdiv(r0, c));
  const int x_hi = imax(imin(wo, left + fdiv(rs - r0 - R, c) + 1), x_lo);
  for (int y = 0; y < ny; y++) {
    const float* xr = xrow + y * xs;
    const float* dr = dyrow + y * ds;
    for (int x = x_lo; x < x_hi; x++) {
      const float* xp = xr + (x - left) * c + r0;
      const float* dp = dr + x * co + c0;
      V dv[4];
      for (int v = 0; v < VV; v++) dv[v] = LOAD(dp + 4 * v);
      for (int r = 0; r < R; r++) {
        V s = SPLAT(xp + r);
        for (int v = 0; v < VV; v++) acc[r][v] = FMA(s, dv[v], acc[r][v]);
      }
    }
    // Edge pixels where only some rows are inside.
    for (int r = 0; r < R; r++) {
      const int lo = imax(0, left - fdiv(r0 + r, c));
      const int hi = imin(wo, left + fdiv(rs - 1 - (r0 + r), c) + 1);
      for (int x = lo; x < hi; x++) {
        if (x >= x_lo && x < x_hi) {
          x = x_hi - 1;
          continue;
        }
        V s = SPLAT(xr + (x - left) * c + r0 + r);
        for (int v = 0; v < VV; v++) {
          acc[r][v] = FMA(s, LOAD(dr + x * co + c0 + 4 * v), acc[r][v]);
        }
      }
    }
  }
  for (int r = 0; r < R; r++) {
    for (int v = 0; v < VV; v++) STORE(dwa + (r0 + r) * co + c0 + 4 * v, acc[r][v]);
  }
}

#ifndef FG_R
#define FG_R 4
#endif
#ifndef FG_V
#define FG_V 2
#endif
#ifndef FG1_V
#define FG1_V 4
#endif
// One filter row a: all dw rows x channels [c0, c0 + 4 VV), in tiles of RT
// rows (remainder rows in smaller tiles).
INLINE void fg_rows(const int VV, const int RT, const float* xrow, const float* dyrow, int ny,
                    int xs, int ds, float* dwa, int kwc, int c0, int c, int wd, int wo, int co,
                    int left) {
  int r0 = 0;
  for (; r0 + RT <= kwc; r0 += RT) {
    fg_tile(RT, VV, xrow, dyrow, ny, xs, ds, dwa, r0, c0, c, wd, wo, co, left);
  }
  for (; r0 + 2 <= kwc; r0 += 2) {
    fg_tile(2, VV, xrow, dyrow, ny, xs, ds, dwa, r0, c0, c, wd, wo, co, left);
  }
  if (r0 < kwc) fg_tile(1, VV, xrow, dyrow, ny, xs, ds, dwa, r0, c0, c, wd, wo, co, left);
}

EXPORT void conv2d_backprop_filter(const float* x, const float* dy, float* dw, int n, int h,
                                   int wd, int c, int ho, int wo, int co, int kh, int kw, int top,
                                   int left) {
  const int kwc = kw * c, rs = wd * c;
  const int co8 = co - co % 8, co4 = co - co % 4;
  for (int i = 0; i < kh * kwc * co; i++) dw[i] = 0.0f;
  const int xs = wd * c, ds = wo * co;
  for (int img = 0; img < n; img++) {
    for (int a = 0; a < kh; a++) {
      // Output rows oy whose input row oy - top + a exists.
      const int y0 = imax(0, top - a), y1 = imin(ho, h + top - a);
      if (y1 <= y0) continue;
      const int ny = y1 - y0;
      const float* xrow = x + ((img * h + y0 - top + a) * wd) * c;
      const float* dyrow = dy + ((img * ho + y0) * wo) * co;
      float* dwa = dw + a * kwc * co;
      int c0 = 0;
      if (kwc == 3 && co % (4 * FG1_V) == 0) {
        // The first layer's single input channel: all 3 rows at once.
        for (; c0 < co; c0 += 4 * FG1_V) {
          fg_tile(3, FG1_V, xrow, dyrow, ny, xs, ds, dwa, 0, c0, c, wd, wo, co, left);
        }
      }
      if (FG_V == 4 && co % 16 == 0) {
        for (; c0 < co; c0 += 16) {
          fg_rows(4, FG_R, xrow, dyrow, ny, xs, ds, dwa, kwc, c0, c, wd, wo, co, left);
        }
      }
      for (; c0 < co8; c0 += 8) {
        fg_rows(2, FG_V == 4 ? 4 : FG_R, xrow, dyrow, ny, xs, ds, dwa, kwc, c0, c, wd, wo, co,
                left);
      }
      for (; c0 < co4; c0 += 4) {
        fg_rows(1, 4, xrow, dyrow, ny, xs, ds, dwa, kwc, c0, c, wd, wo, co, left);
      }
      // Channels past the last multiple of 4: scalar.
      for (int y = 0; y < ny && co4 < co; y++) {
        const float* xr = xrow + y * xs;
        const float* dr = dyrow + y * ds;
        for (int r = 0; r < kwc; r++) {
          const int lo = imax(0, left - fdiv(r, c));
          const int hi = imin(wo, left + fdiv(rs - 1 - r, c) + 1);
          for (int xx = lo; xx < hi; xx++) {
            const float s = xr[(xx - left) * c + r];
            for (int o = co4; o < co; o++) dwa[r * co + o] += s * dr[xx * co + o];
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Pooling gradient and bias gradient.

// Average-pooling gradient when the windows tile the input (window = stride,
// h = sh * ho, w = sw * wo): every input pixel of a window gets dy / (sh sw).
EXPORT void avg_pool_grad_tiled(const float* dy, float* dx, int n, int ho, int wo, int c, int sh,
                                int sw) {
  const float scale = 1.0f / (float)(sh * sw);
  const V vs = wasm_f32x4_splat(scale);
  const int c4 = c - c % 4;
  const int w = wo * sw;
  for (int img = 0; img < n; img++) {
    for (int oy = 0; oy < ho; oy++) {
      const float* drow = dy + ((img * ho + oy) * wo) * c;
      for (int i = 0; i < sh; i++) {
        float* xrow = dx + ((img * ho * sh + oy * sh + i) * w) * c;
        for (int ox = 0; ox < wo; ox++) {
          const float* d = drow + ox * c;
          for (int j = 0; j < sw; j++) {
            float* o = xrow + (ox * sw + j) * c;
            int k = 0;
            for (; k < c4; k += 4) STORE(o + k, wasm_f32x4_mul(LOAD(d + k), vs));
            for (; k < c; k++) o[k] = d[k] * scale;
          }
        }
      }
    }
  }
}

// out[j] = sum_i x[i * cols + j] (a bias gradient: the sum over batch, rows
// and columns). Rows go in chunks of 256 that stay in cache while each
// column's four interleaved partial sums run over them.
EXPORT void sum_rows(const float* x, float* out, int rows, int cols) {
  const int c4 = cols - cols % 4;
  for (int j = 0; j < cols; j++) out[j] = 0.0f;
  for (int i0 = 0; i0 < rows; i0 += 256) {
    const int i1 = imin(rows, i0 + 256);
    for (int j = 0; j < c4; j += 4) {
      V s0 = wasm_f32x4_splat(0.0f), s1 = s0, s2 = s0, s3 = s0;
      int i = i0;
      for (; i + 4 <= i1; i += 4) {
        s0 = wasm_f32x4_add(s0, LOAD(x + (i + 0) * cols + j));
        s1 = wasm_f32x4_add(s1, LOAD(x + (i + 1) * cols + j));
        s2 = wasm_f32x4_add(s2, LOAD(x + (i + 2) * cols + j));
        s3 = wasm_f32x4_add(s3, LOAD(x + (i + 3) * cols + j));
      }
      for (; i < i1; i++) s0 = wasm_f32x4_add(s0, LOAD(x + i * cols + j));
      V t = wasm_f32x4_add(wasm_f32x4_add(s0, s1), wasm_f32x4_add(s2, s3));
      STORE(out + j, wasm_f32x4_add(LOAD(out + j), t));
    }
    for (int j = c4; j < cols; j++) {
      float t = 0.0f;
      for (int i = i0; i < i1; i++) t += x[i * cols + j];
      out[j] += t;
    }
  }
}

// ---------------------------------------------------------------------------
// Matrix products (dense layers), C row-major [M, N].

#define MM_KB 256

// P rows x VV vectors of C over k in [k0, k1): A(m, k) = a[m ams + k aks],
// B row-major with N columns; accumulates into C when `add`.
INLINE void mm_tile(const int P, const int VV, const float* a, int ams, int aks, const float* b,
                    float* c, int N, int k0, int k1, int add) {
  V acc[4][4];
  for (int p = 0; p < P; p++) {
    for (int v = 0; v < VV; v++) {
      acc[p][v] = add ? LOAD(c + p * N + 4 * v) : wasm_f32x4_splat(0.0f);
    }
  }
  for (int k = k0; k < k1; k++) {
    V bv[4];
    for (int v = 0; v < VV; v++) bv[v] = LOAD(b + k * N + 4 * v);
    for (int p = 0; p < P; p++) {
      V s = SPLAT(a + p * ams + k * aks);
      for (int v = 0; v < VV; v++) acc[p][v] = FMA(s, bv[v], acc[p][v]);
    }
  }
  for (int p = 0; p < P; p++) {
    for (int v = 0; v < VV; v++) STORE(c + p * N + 4 * v, acc[p][v]);
  }
}

INLINE void mm_cols(const int VV, const float* a, int ams, int aks, const float* b, float* c,
                    int M, int N, int n0, int k0, int k1, int add) {
  int m = 0;
  for (; m + 2 <= M; m += 2) {
    mm_tile(2, VV, a + m * ams, ams, aks, b + n0, c + m * N + n0, N, k0, k1, add);
  }
  if (m < M) mm_tile(1, VV, a + m * ams, ams, aks, b + n0, c + m * N + n0, N, k0, k1, add);
}

// C = A B with A(m, k) = a[m ams + k aks] (ams = K, aks = 1 for A row-major
// [M, K]; ams = 1, aks = M for A stored transposed, [K, M]) and B row-major
// [K, N]. K in blocks of MM_KB so that B's block stays in cache.
EXPORT void matmul_nn(const float* a, int ams, int aks, const float* b, float* c, int M, int K,
                      int N) {
  const int n16 = N - N % 16, n4 = N - N % 4;
  if (K == 0) {
    for (int i = 0; i < M * N; i++) c[i] = 0.0f;
    return;
  }
  for (int k0 = 0; k0 < K; k0 += MM_KB) {
    const int k1 = imin(K, k0 + MM_KB), add = k0 > 0;
    int n0 = 0;
    for (; n0 < n16; n0 += 16) mm_cols(4, a, ams, aks, b, c, M, N, n0, k0, k1, add);
    for (; n0 < n4; n0 += 4) mm_cols(1, a, ams, aks, b, c, M, N, n0, k0, k1, add);
    for (int m = 0; m < M && n4 < N; m++) {
      for (int n = n4; n < N; n++) {
        float s = add ? c[m * N + n] : 0.0f;
        for (int k = k0; k < k1; k++) s += a[m * ams + k * aks] * b[k * N + n];
        c[m * N + n] = s;
      }
    }
  }
}

INLINE float hsum(V v) {
  return (wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1)) +
         (wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3));
}

// P rows of A x Q rows of Bt: dot products over k.
INLINE void mt_tile(const int P, const int Q, const float* a, const float* bt, float* c, int K,
                    int N) {
  V acc[2][4];
  for (int p = 0; p < P; p++) {
    for (int q = 0; q < Q; q++) acc[p][q] = wasm_f32x4_splat(0.0f);
  }
  const int k4 = K - K % 4;
  for (int k = 0; k < k4; k += 4) {
    V av[2], bv[4];
    for (int p = 0; p < P; p++) av[p] = LOAD(a + p * K + k);
    for (int q = 0; q < Q; q++) bv[q] = LOAD(bt + q * K + k);
    for (int p = 0; p < P; p++) {
      for (int q = 0; q < Q; q++) acc[p][q] = FMA(av[p], bv[q], acc[p][q]);
    }
  }
  for (int p = 0; p < P; p++) {
    for (int q = 0; q < Q; q++) {
      float s = hsum(acc[p][q]);
      for (int k = k4; k < K; k++) s += a[p * K + k] * bt[q * K + k];
      c[p * N + q] = s;
    }
  }
}

// C = A Bt^T with A row-major [M, K] and Bt row-major [N, K] (a dense layer's
// input gradient dy W^T): dot products over the contiguous k.
EXPORT void matmul_nt(const float* a, const float* bt, float* c, int M, int K, int N) {
  int n = 0;
  for (; n + 4 <= N; n += 4) {
    int m = 0;
    for (; m + 2 <= M; m += 2) mt_tile(2, 4, a + m * K, bt + n * K, c + m * N + n, K, N);
    if (m < M) mt_tile(1, 4, a + m * K, bt + n * K, c + m * N + n, K, N);
  }
  for (; n < N; n++) {
    int m = 0;
    for (; m + 2 <= M; m += 2) mt_tile(2, 1, a + m * K, bt + n * K, c + m * N + n, K, N);
    if (m < M) mt_tile(1, 1, a + m * K, bt + n * K, c + m * N + n, K, N);
  }
}
