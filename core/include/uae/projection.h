#pragma once
// Two-dimensional projections of embedding vectors, for the embedding map (embedding_map.h).
//
// PCA only. A neighbourhood-preserving projection (UMAP, t-SNE) was looked for as a maintained
// C++ library among Debian 12's packages and PyPI: Debian has UMAP for Python (umap-learn) and R
// (r-cran-uwot, r-cran-rtsne, r-cran-tsne); uwot installs its optimiser as header-only C++, but
// only as part of an R package (it pulls R itself, r-base-core, into the build) and leaves the
// nearest-neighbour graph and its fuzzy union to the caller. PyPI's t-SNE/UMAP packages are
// Python or Cython extensions with no C++ interface, and the app must not need Python at run
// time. So none is used here; see README ("Embedding map").
#include "uae/job.h"
#include "uae/result.h"

#include <array>
#include <cstddef>
#include <vector>

namespace uae {

struct Projection2D {
    std::vector<float> xy;                   // [rows x 2], row-major: x then y of each input row
    std::array<double, 2> variance{};        // variance along each of the two axes (the top eigenvalues)
    double totalVariance = 0;                // sum of the variances of all input dimensions
    std::array<std::vector<double>, 2> axes; // the two principal directions, each [dim], unit length
};

// PCA onto the two directions of largest variance of `rows` ([n x dim], row-major, n >= 2):
// the covariance is accumulated in chunks (LibTorch's matrix product, in double), its top two
// eigenvectors found by subspace iteration. Each axis's sign is fixed so that its largest
// component (by magnitude) is positive: the same input gives the same picture. Polls
// ctx->cancelled() between chunks (then fails with "cancelled"); reports progress in rows.
Result<Projection2D> projectPca(const std::vector<float>& rows, int dim, const JobContext* ctx = nullptr);

// The top `k` eigenvectors (descending eigenvalue) of a symmetric positive semi-definite
// [dim x dim] matrix by subspace iteration; values[i] its eigenvalues. Exposed for the tests.
struct Eigen {
    std::vector<std::vector<double>> vectors;
    std::vector<double> values;
};
Eigen topEigenvectors(const std::vector<double>& symmetric, int dim, int k);

} // namespace uae
