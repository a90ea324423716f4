// Embedding map at scale (issue 14 item 3). (1) PCA time of N clustered vectors of D dimensions
// (core's projectPca). (2) Frame times of the map canvas drawing those N points offscreen at
// 1440x900 while panning and zooming in and out (density image where more than 20,000 points
// are in view, single points below), and the time to find the point under the cursor (hover,
// click). (3) With --data and --glove: the real map of a QASPER split with GloVe (encode + PCA).
// Prints one JSON object.
// usage: bench_embedding_map [--points N] [--dim D] [--data QASPER_DIR --glove GLOVE_DIR --split S]
#include "map_canvas.h"
#include "uae/device.h"
#include "uae/embedding_map.h"
#include "uae/encoder_glove.h"
#include "uae/projection.h"
#include "uae/qasper.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <random>
#include <string>

using namespace uae;

namespace {

struct Stats {
    double mean = 0, p95 = 0, max = 0;
    long density = 0, points = 0; // frames drawn each way
};

// N vectors around 300 random centres (one per "paper"), each row L2-normalised like an encoder's.
std::vector<float> clusteredVectors(long n, int dim, std::vector<int>& cluster) {
    std::mt19937 rng(42);
    std::normal_distribution<float> normal;
    std::vector<float> centres(300 * size_t(dim));
    for (float& c : centres)
        c = normal(rng);
    std::vector<float> rows(size_t(n) * dim);
    cluster.resize(n);
    for (long i = 0; i < n; ++i) {
        cluster[i] = int(rng() % 300);
        float norm = 0;
        for (int c = 0; c < dim; ++c) {
            float& v = rows[size_t(i) * dim + c];
            v = centres[size_t(cluster[i]) * dim + c] + 0.8f * normal(rng);
            norm += v * v;
        }
        for (int c = 0; c < dim; ++c)
            rows[size_t(i) * dim + c] /= std::sqrt(norm);
    }
    return rows;
}

template <class Step> Stats frames(ui::MapCanvas& canvas, QImage& image, int count, Step step) {
    std::vector<double> ms;
    Stats s;
    for (int f = 0; f < count; ++f) {
        step(f);
        QElapsedTimer t;
        t.start();
        QPainter painter(&image);
        canvas.paintMap(painter, image.size());
        painter.end();
        ms.push_back(t.nsecsElapsed() / 1e6);
        (canvas.lastDensity() ? s.density : s.points)++;
    }
    std::sort(ms.begin(), ms.end());
    s.mean = std::accumulate(ms.begin(), ms.end(), 0.0) / ms.size();
    s.p95 = ms[size_t(0.95 * (ms.size() - 1))];
    s.max = ms.back();
    return s;
}

std::string json(const char* name, const Stats& s) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "\"%s\": {\"mean_ms\": %.2f, \"p95_ms\": %.2f, \"max_ms\": %.2f, \"density_frames\": %ld, "
                  "\"point_frames\": %ld}",
                  name, s.mean, s.p95, s.max, s.density, s.points);
    return buf;
}

std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (argv[i] == name)
            return argv[i + 1];
    return fallback;
}

// The real map of a split with GloVe: items, encode + PCA time.
std::string realMap(const std::string& data, const std::string& glove, const std::string& split) {
    auto d = loadQasper(data, split);
    auto e = EncoderGlove::load(glove);
    if (!d || !e)
        return "\"real\": {\"error\": \"cannot load the split or GloVe\"}";
    QElapsedTimer t;
    t.start();
    auto map =
        buildEmbeddingMap(d.value(), {"glove"}, {std::shared_ptr<Encoder>(std::move(e.value()))}, 0, JobContext{});
    const double ms = t.nsecsElapsed() / 1e6;
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "\"real\": {\"split\": \"%s\", \"method\": \"glove\", \"items\": %zu, \"encode_and_pca_ms\": %.0f}",
                  split.c_str(), map ? map->items.size() : size_t(0), ms);
    return buf;
}

} // namespace

int main(int argc, char** argv) {
    ensureThreadingEnvironment(argv);
    QApplication app(argc, argv);
    configureThreads(0);
    const long n = std::stol(arg(argc, argv, "--points", "1000000"));
    const int dim = std::stoi(arg(argc, argv, "--dim", "384"));
    std::vector<int> cluster;
    const auto rows = clusteredVectors(n, dim, cluster);
    QElapsedTimer t;
    t.start();
    auto projection = projectPca(rows, dim);
    const double pcaMs = t.nsecsElapsed() / 1e6;
    if (!projection) {
        std::fprintf(stderr, "%s\n", projection.error().c_str());
        return 1;
    }
    std::vector<QRgb> colours(n);
    std::vector<std::uint8_t> isQuestion(n);
    for (long i = 0; i < n; ++i) {
        colours[i] = QColor::fromHsvF(std::fmod(cluster[i] * 0.618034f, 1.0f), 0.7f, 0.8f).rgb();
        isQuestion[i] = i % 20 == 0;
    }
    ui::MapCanvas canvas;
    canvas.resize(1440, 900);
    canvas.setPoints(std::make_shared<const std::vector<float>>(std::move(projection->xy)), std::move(colours),
                     std::move(isQuestion));
    QImage image(1440, 900, QImage::Format_ARGB32_Premultiplied);
    const QPointF centre = canvas.toScreen(int(n / 2)); // zoom towards a point: single points at depth
    const Stats pan =
        frames(canvas, image, 40, [&](int f) { canvas.panBy(f < 20 ? QPointF(17, -11) : QPointF(-17, 11)); });
    canvas.fitAll();
    const Stats zoomIn = frames(canvas, image, 40, [&](int) { canvas.zoomAt(centre, 1.25); });
    const long deepVisible = canvas.lastVisible();
    const Stats zoomOut = frames(canvas, image, 40, [&](int) { canvas.zoomAt(centre, 1 / 1.25); });
    canvas.fitAll();
    QElapsedTimer pick;
    pick.start();
    for (int i = 0; i < 10; ++i)
        canvas.itemAt(QPointF(700 + i, 440 + i));
    const double pickMs = pick.nsecsElapsed() / 1e6 / 10;
    std::string real;
    if (const auto data = arg(argc, argv, "--data", ""); !data.empty())
        real = ", " + realMap(data, arg(argc, argv, "--glove", ""), arg(argc, argv, "--split", "dev"));
    std::printf("{\"points\": %ld, \"dim\": %d, \"frame\": \"1440x900 offscreen\", \"threads\": %d, "
                "\"pca_ms\": %.0f, %s, %s, %s, \"deepest_zoom_visible\": %ld, \"pick_ms\": %.2f%s}\n",
                n, dim, currentDevice().threads, pcaMs, json("pan", pan).c_str(), json("zoom_in", zoomIn).c_str(),
                json("zoom_out", zoomOut).c_str(), deepVisible, pickMs, real.c_str());
    return 0;
}
