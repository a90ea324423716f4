// PCA for the embedding map: the covariance by LibTorch's matrix product (OpenBLAS; one pass over
// 1M x 384 floats takes seconds on two cores, where a plain loop takes a minute), the top two
// eigenvectors by subspace iteration with a Rayleigh-Ritz step (no LAPACK needed).
#include "uae/projection.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>

namespace uae {

namespace {

constexpr long kChunk = 65536; // rows per matrix product: bounds the double copy to ~200 MB at 384-d

using Matrix = std::vector<std::vector<double>>; // columns

// Subtracts from v its parts along q[0..j) and normalises it; false when (next to) nothing is left.
bool orthogonaliseAgainst(const Matrix& q, size_t j, std::vector<double>& v) {
    double before = 0;
    for (double x : v)
        before += x * x;
    for (size_t i = 0; i < j; ++i) {
        const double dot = std::inner_product(q[i].begin(), q[i].end(), v.begin(), 0.0);
        for (size_t r = 0; r < v.size(); ++r)
            v[r] -= dot * q[i][r];
    }
    double norm = 0;
    for (double x : v)
        norm += x * x;
    if (!(norm > 1e-24 * before) || norm == 0)
        return false;
    for (double& x : v)
        x /= std::sqrt(norm);
    return true;
}

// Modified Gram-Schmidt on the columns, in order; a column that vanishes (a rank-deficient
// matrix) is replaced by the first unit vector that is independent of the earlier ones.
void orthonormalise(Matrix& q) {
    for (size_t j = 0; j < q.size(); ++j) {
        for (size_t e = 0; !orthogonaliseAgainst(q, j, q[j]) && e < q[j].size(); ++e) {
            std::fill(q[j].begin(), q[j].end(), 0.0);
            q[j][e] = 1.0;
        }
    }
}

Matrix multiply(const std::vector<double>& a, int dim, const Matrix& q) {
    Matrix out(q.size(), std::vector<double>(dim, 0.0));
    for (size_t j = 0; j < q.size(); ++j)
        for (int r = 0; r < dim; ++r) {
            const double* row = &a[size_t(r) * dim];
            double sum = 0;
            for (int c = 0; c < dim; ++c)
                sum += row[c] * q[j][c];
            out[j][r] = sum;
        }
    return out;
}

// Jacobi rotations on a small symmetric matrix t [b x b]: its eigenvalues (diagonal, returned)
// and eigenvectors (columns of v).
std::vector<double> jacobi(std::vector<double>& t, int b, std::vector<double>& v) {
    v.assign(size_t(b) * b, 0.0);
    for (int i = 0; i < b; ++i)
        v[size_t(i) * b + i] = 1.0;
    for (int sweep = 0; sweep < 100; ++sweep) {
        double off = 0;
        for (int p = 0; p < b; ++p)
            for (int q = p + 1; q < b; ++q)
                off += t[size_t(p) * b + q] * t[size_t(p) * b + q];
        if (off < 1e-30)
            break;
        for (int p = 0; p < b; ++p)
            for (int q = p + 1; q < b; ++q) {
                const double apq = t[size_t(p) * b + q];
                if (std::abs(apq) < 1e-300)
                    continue;
                const double theta = (t[size_t(q) * b + q] - t[size_t(p) * b + p]) / (2 * apq);
                const double tn = (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1));
                const double c = 1 / std::sqrt(tn * tn + 1), s = tn * c;
                for (int k = 0; k < b; ++k) { // columns p, q
                    const double kp = t[size_t(k) * b + p], kq = t[size_t(k) * b + q];
                    t[size_t(k) * b + p] = c * kp - s * kq;
                    t[size_t(k) * b + q] = s * kp + c * kq;
                }
                for (int k = 0; k < b; ++k) { // rows p, q
                    const double pk = t[size_t(p) * b + k], qk = t[size_t(q) * b + k];
                    t[size_t(p) * b + k] = c * pk - s * qk;
                    t[size_t(q) * b + k] = s * pk + c * qk;
                }
                for (int k = 0; k < b; ++k) {
                    const double kp = v[size_t(k) * b + p], kq = v[size_t(k) * b + q];
                    v[size_t(k) * b + p] = c * kp - s * kq;
                    v[size_t(k) * b + q] = s * kp + c * kq;
                }
            }
    }
    std::vector<double> values(b);
    for (int i = 0; i < b; ++i)
        values[i] = t[size_t(i) * b + i];
    return values;
}

// Rayleigh-Ritz: rotates the orthonormal block q so its columns are the best eigenvector
// estimates in its span, sorted by descending Ritz value; returns those values.
std::vector<double> rayleighRitz(const std::vector<double>& a, int dim, Matrix& q) {
    const int b = static_cast<int>(q.size());
    const Matrix aq = multiply(a, dim, q);
    std::vector<double> t(size_t(b) * b), v;
    for (int i = 0; i < b; ++i)
        for (int j = 0; j < b; ++j) {
            double dot = 0;
            for (int r = 0; r < dim; ++r)
                dot += q[i][r] * aq[j][r];
            t[size_t(i) * b + j] = dot;
        }
    const std::vector<double> values = jacobi(t, b, v);
    std::vector<int> order(b);
    for (int i = 0; i < b; ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](int x, int y) { return values[x] > values[y]; });
    Matrix rotated(b, std::vector<double>(dim, 0.0));
    std::vector<double> sorted(b);
    for (int j = 0; j < b; ++j) {
        sorted[j] = values[order[j]];
        for (int i = 0; i < b; ++i)
            for (int r = 0; r < dim; ++r)
                rotated[j][r] += q[i][r] * v[size_t(i) * b + order[j]];
    }
    q = std::move(rotated);
    return sorted;
}

// Largest component by magnitude positive.
void fixSign(std::vector<double>& axis) {
    const auto big =
        std::max_element(axis.begin(), axis.end(), [](double x, double y) { return std::abs(x) < std::abs(y); });
    if (big != axis.end() && *big < 0)
        for (double& v : axis)
            v = -v;
}

} // namespace

Eigen topEigenvectors(const std::vector<double>& a, int dim, int k) {
    const int b = std::min(dim, k + 4);
    Matrix q(b, std::vector<double>(dim));
    std::uint64_t state = 0x9E3779B97F4A7C15ULL; // fixed start: the same input gives the same axes
    for (auto& column : q)
        for (double& v : column) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            v = double(state >> 11) / double(1ULL << 53) - 0.5;
        }
    orthonormalise(q);
    std::vector<double> values = rayleighRitz(a, dim, q), previous;
    for (int it = 0; it < 500; ++it) {
        q = multiply(a, dim, q);
        orthonormalise(q);
        previous = std::move(values);
        values = rayleighRitz(a, dim, q);
        double change = 0;
        for (int i = 0; i < k; ++i)
            change = std::max(change, std::abs(values[i] - previous[i]) / std::max(std::abs(values[0]), 1e-300));
        if (change < 1e-14)
            break;
    }
    Eigen out;
    for (int i = 0; i < std::min(k, b); ++i) {
        fixSign(q[i]);
        out.vectors.push_back(q[i]);
        out.values.push_back(values[i]);
    }
    return out;
}

namespace {

// Mean and covariance ([dim x dim], row-major, divided by n - 1) of the rows, chunk by chunk.
Result<std::pair<std::vector<double>, std::vector<double>>> meanAndCovariance(const std::vector<float>& rows, int dim,
                                                                              const JobContext* ctx) {
    const long n = static_cast<long>(rows.size() / dim);
    const auto all = at::from_blob(const_cast<float*>(rows.data()), {n, dim}, at::kFloat);
    const at::Tensor mean = all.to(at::kDouble).sum(0) / double(n);
    at::Tensor cov = at::zeros({dim, dim}, at::kDouble);
    for (long start = 0; start < n; start += kChunk) {
        if (ctx && ctx->cancelled())
            return fail("cancelled");
        const at::Tensor centred = all.slice(0, start, std::min(n, start + kChunk)).to(at::kDouble) - mean;
        cov.add_(at::mm(centred.t(), centred));
        if (ctx)
            ctx->progress(std::min(n, start + kChunk), 2 * n, "covariance");
    }
    cov.div_(double(std::max(n - 1, 1L)));
    const double* m = mean.data_ptr<double>();
    const double* c = cov.contiguous().data_ptr<double>();
    return std::make_pair(std::vector<double>(m, m + dim), std::vector<double>(c, c + size_t(dim) * dim));
}

} // namespace

Result<Projection2D> projectPca(const std::vector<float>& rows, int dim, const JobContext* ctx) {
    if (dim < 1 || rows.size() % size_t(dim) != 0)
        return fail("PCA: " + std::to_string(rows.size()) + " values are not rows of " + std::to_string(dim));
    const long n = static_cast<long>(rows.size() / dim);
    if (n < 2)
        return fail("PCA: needs at least two points, got " + std::to_string(n));
    if (auto bad = std::find_if(rows.begin(), rows.end(), [](float v) { return !std::isfinite(v); }); bad != rows.end())
        return fail("PCA: row " + std::to_string((bad - rows.begin()) / dim) + " holds a NaN or an infinity");
    auto stats = meanAndCovariance(rows, dim, ctx);
    if (!stats)
        return fail(stats.error());
    const auto& [mean, cov] = stats.value();
    Projection2D out;
    for (int i = 0; i < dim; ++i)
        out.totalVariance += cov[size_t(i) * dim + i];
    const Eigen top = topEigenvectors(cov, dim, 2);
    for (int a = 0; a < 2; ++a) {
        out.axes[a] = a < int(top.vectors.size()) ? top.vectors[a] : std::vector<double>(dim, 0.0);
        out.variance[a] = a < int(top.values.size()) ? std::max(0.0, top.values[a]) : 0.0;
    }
    out.xy.resize(size_t(n) * 2);
    for (long r = 0; r < n; ++r) {
        const float* row = &rows[size_t(r) * dim];
        double x = 0, y = 0;
        for (int c = 0; c < dim; ++c) {
            x += (row[c] - mean[c]) * out.axes[0][c];
            y += (row[c] - mean[c]) * out.axes[1][c];
        }
        out.xy[2 * r] = float(x);
        out.xy[2 * r + 1] = float(y);
        if (ctx && (r & 0xFFFF) == 0)
            ctx->progress(n + r, 2 * n, "projecting");
    }
    return out;
}

} // namespace uae
