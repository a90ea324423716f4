#include "map_canvas.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <limits>

namespace uae::ui {

MapCanvas::MapCanvas(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setMinimumSize(200, 200);
    setFocusPolicy(Qt::ClickFocus);
}

void MapCanvas::setPoints(std::shared_ptr<const std::vector<float>> xy, std::vector<QRgb> colours,
                          std::vector<std::uint8_t> isQuestion) {
    m_xy = std::move(xy);
    sortForDrawing();
    setColours(std::move(colours));
    m_isQuestion.resize(m_order.size());
    for (size_t k = 0; k < m_order.size(); ++k)
        m_isQuestion[k] = m_order[k] < int(isQuestion.size()) ? isQuestion[m_order[k]] : 0;
    m_lines.clear();
    m_selected = -1;
    fitAll();
}

void MapCanvas::setColours(std::vector<QRgb> colours) {
    m_colours.resize(m_order.size());
    for (size_t k = 0; k < m_order.size(); ++k)
        m_colours[k] = m_order[k] < int(colours.size()) ? colours[m_order[k]] : qRgb(128, 128, 128);
    update();
}

// Binning 1M points in their given order writes all over a 20 MB bin array: a cache miss per
// point, ~100 ms a frame. Drawn in Morton (Z-curve) order of their position, neighbours on
// screen come one after another and the same frame takes a few ms.
void MapCanvas::sortForDrawing() {
    const long n = pointCount();
    m_order.resize(n);
    m_sortedXy.resize(size_t(n) * 2);
    if (n == 0)
        return;
    const float* xy = m_xy->data();
    float minX = xy[0], maxX = xy[0], minY = xy[1], maxY = xy[1];
    for (long i = 0; i < n; ++i) {
        minX = std::min(minX, xy[2 * i]), maxX = std::max(maxX, xy[2 * i]);
        minY = std::min(minY, xy[2 * i + 1]), maxY = std::max(maxY, xy[2 * i + 1]);
    }
    auto spread = [](std::uint32_t v) { // 10 bits -> every other bit of 20
        v &= 0x3FF;
        v = (v | (v << 8)) & 0x00FF00FF;
        v = (v | (v << 4)) & 0x0F0F0F0F;
        v = (v | (v << 2)) & 0x33333333;
        return (v | (v << 1)) & 0x55555555;
    };
    const float sx = 1023.f / std::max(maxX - minX, 1e-30f), sy = 1023.f / std::max(maxY - minY, 1e-30f);
    std::vector<std::pair<std::uint32_t, int>> keyed(n);
    for (long i = 0; i < n; ++i)
        keyed[i] = {spread(std::uint32_t((xy[2 * i] - minX) * sx)) |
                        (spread(std::uint32_t((xy[2 * i + 1] - minY) * sy)) << 1),
                    int(i)};
    std::sort(keyed.begin(), keyed.end());
    for (long k = 0; k < n; ++k) {
        m_order[k] = keyed[k].second;
        m_sortedXy[2 * k] = xy[2 * keyed[k].second];
        m_sortedXy[2 * k + 1] = xy[2 * keyed[k].second + 1];
    }
}

void MapCanvas::setLines(std::vector<MapLine> lines) {
    m_lines = std::move(lines);
    update();
}

void MapCanvas::setSelected(int item) {
    m_selected = item;
    update();
}

void MapCanvas::fitAll() {
    m_size = size();
    if (!m_xy || m_xy->empty())
        return;
    float minX = std::numeric_limits<float>::max(), maxX = -minX, minY = minX, maxY = -minX;
    for (size_t i = 0; i + 1 < m_xy->size(); i += 2) {
        minX = std::min(minX, (*m_xy)[i]);
        maxX = std::max(maxX, (*m_xy)[i]);
        minY = std::min(minY, (*m_xy)[i + 1]);
        maxY = std::max(maxY, (*m_xy)[i + 1]);
    }
    m_centre = QPointF((minX + maxX) / 2.0, (minY + maxY) / 2.0);
    const double w = std::max(1e-9, double(maxX - minX)), h = std::max(1e-9, double(maxY - minY));
    m_scale = 0.92 * std::min(std::max(width(), 1) / w, std::max(height(), 1) / h);
    m_moved = false;
    update();
}

void MapCanvas::panBy(QPointF pixels) {
    m_moved = true;
    m_centre -= QPointF(pixels.x() / m_scale, -pixels.y() / m_scale);
    update();
}

void MapCanvas::zoomAt(QPointF pixel, double factor) {
    // Keep the data point under the cursor where it is.
    m_moved = true;
    const QPointF offset(pixel.x() - width() / 2.0, pixel.y() - height() / 2.0);
    const QPointF data(m_centre.x() + offset.x() / m_scale, m_centre.y() - offset.y() / m_scale);
    m_scale = std::clamp(m_scale * factor, 1e-6, 1e12);
    m_centre = QPointF(data.x() - offset.x() / m_scale, data.y() + offset.y() / m_scale);
    update();
}

void MapCanvas::centreOn(int item) {
    if (item < 0 || item >= pointCount())
        return;
    m_centre = QPointF((*m_xy)[2 * item], (*m_xy)[2 * item + 1]);
    update();
}

QPointF MapCanvas::screenOf(float x, float y) const {
    return QPointF(m_size.width() / 2.0 + (x - m_centre.x()) * m_scale,
                   m_size.height() / 2.0 - (y - m_centre.y()) * m_scale);
}

QPointF MapCanvas::toScreen(int item) const {
    if (item < 0 || item >= pointCount())
        return {};
    return screenOf((*m_xy)[2 * item], (*m_xy)[2 * item + 1]);
}

int MapCanvas::itemAt(QPointF pixel, double radius) const {
    int best = -1;
    double bestD = radius * radius;
    for (int i = 0; i < pointCount(); ++i) {
        const QPointF s = screenOf(m_sortedXy[2 * i], m_sortedXy[2 * i + 1]);
        const double dx = s.x() - pixel.x(), dy = s.y() - pixel.y(), d = dx * dx + dy * dy;
        // A question wins a tie with the paragraphs under it: it is what a click selects.
        if (d < bestD || (d == bestD && best >= 0 && m_isQuestion[i] && !m_isQuestion[best])) {
            bestD = d;
            best = i;
        }
    }
    return best < 0 ? -1 : m_order[best];
}

void MapCanvas::paintMap(QPainter& painter, QSize size) {
    m_size = size;
    painter.fillRect(QRect(QPoint(), size), QColor(252, 252, 250));
    if (!m_xy || m_xy->empty())
        return;
    const float* xy = m_sortedXy.data();
    const long n = pointCount();
    const double w = size.width(), h = size.height();
    std::vector<int> visible;
    visible.reserve(std::min<long>(n, pointLimit() + 1));
    long inView = 0;
    for (long i = 0; i < n; ++i) {
        const double sx = w / 2 + (xy[2 * i] - m_centre.x()) * m_scale;
        const double sy = h / 2 - (xy[2 * i + 1] - m_centre.y()) * m_scale;
        if (sx < -4 || sy < -4 || sx > w + 4 || sy > h + 4)
            continue;
        if (++inView <= pointLimit())
            visible.push_back(int(i));
    }
    m_lastVisible = inView;
    m_lastDensity = inView > pointLimit();
    if (m_lastDensity)
        paintDensity(painter, size);
    else
        paintPoints(painter, visible);
    paintOverlay(painter);
}

namespace {

// A point written straight into the image: a disc of radius 2 for a paragraph, a diamond of
// radius 4 with a dark outline for a question (QPainter per point costs microseconds each).
void stamp(QImage& image, int cx, int cy, QRgb colour, bool question) {
    const int r = question ? 4 : 2, w = image.width(), h = image.height();
    const QRgb outline = qRgb(40, 40, 40);
    for (int dy = -r; dy <= r; ++dy) {
        const int y = cy + dy;
        if (y < 0 || y >= h)
            continue;
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
        for (int dx = -r; dx <= r; ++dx) {
            const int x = cx + dx, d = std::abs(dx) + std::abs(dy);
            if (x < 0 || x >= w || (question ? d > r : dx * dx + dy * dy > 5))
                continue;
            line[x] = question && d == r ? outline : (0xFF000000u | colour);
        }
    }
}

} // namespace

// Each pixel: the mean colour of the points in it, more opaque the more points (log scale).
void MapCanvas::paintDensity(QPainter& painter, QSize size) {
    const int w = size.width(), h = size.height();
    if (w <= 0 || h <= 0)
        return;
    m_bins.assign(size_t(w) * h * 4, 0);
    const float* xy = m_sortedXy.data();
    const long n = pointCount();
    const double ox = w / 2.0 - m_centre.x() * m_scale, oy = h / 2.0 + m_centre.y() * m_scale;
    std::uint32_t most = 1;
    for (long i = 0; i < n; ++i) {
        const double fx = ox + xy[2 * i] * m_scale, fy = oy - xy[2 * i + 1] * m_scale;
        if (!(fx >= 0 && fy >= 0 && fx < w && fy < h))
            continue;
        std::uint32_t* bin = &m_bins[(size_t(fy) * w + size_t(fx)) * 4];
        const QRgb c = m_colours[i];
        bin[0] += qRed(c);
        bin[1] += qGreen(c);
        bin[2] += qBlue(c);
        most = std::max(most, ++bin[3]);
    }
    // Opacity by count from a table: a logarithm per pixel costs more than the binning.
    std::vector<std::uint8_t> alpha(std::min<std::uint32_t>(most, 1u << 16) + 1);
    const double logMost = std::log1p(double(most));
    for (size_t c = 1; c < alpha.size(); ++c)
        alpha[c] = std::uint8_t(255 * (0.35 + 0.65 * std::log1p(double(c)) / logMost));
    if (m_image.size() != size)
        m_image = QImage(size, QImage::Format_ARGB32_Premultiplied);
    for (int y = 0; y < h; ++y) {
        auto* line = reinterpret_cast<QRgb*>(m_image.scanLine(y));
        const std::uint32_t* bin = &m_bins[size_t(y) * w * 4];
        for (int x = 0; x < w; ++x, bin += 4) {
            const std::uint32_t count = bin[3];
            line[x] = count ? qPremultiply(qRgba(int(bin[0] / count), int(bin[1] / count), int(bin[2] / count),
                                                 alpha[std::min<size_t>(count, alpha.size() - 1)]))
                            : 0;
        }
    }
    painter.drawImage(0, 0, m_image);
}

void MapCanvas::paintPoints(QPainter& painter, const std::vector<int>& visible) {
    if (visible.size() > 3000) { // many: stamped into an image, questions over paragraphs
        if (m_image.size() != m_size)
            m_image = QImage(m_size, QImage::Format_ARGB32_Premultiplied);
        m_image.fill(0);
        for (int pass = 0; pass < 2; ++pass)
            for (int i : visible)
                if (bool(m_isQuestion[i]) == bool(pass)) {
                    const QPointF s = screenOf(m_sortedXy[2 * i], m_sortedXy[2 * i + 1]);
                    stamp(m_image, int(std::lround(s.x())), int(std::lround(s.y())), m_colours[i], pass == 1);
                }
        painter.drawImage(0, 0, m_image);
        return;
    }
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(Qt::NoPen);
    for (int i : visible) { // paragraphs first, questions over them
        if (m_isQuestion[i])
            continue;
        painter.setBrush(QColor::fromRgb(m_colours[i]));
        painter.drawEllipse(screenOf(m_sortedXy[2 * i], m_sortedXy[2 * i + 1]), 3.0, 3.0);
    }
    painter.setPen(QPen(QColor(40, 40, 40), 1));
    for (int i : visible) {
        if (!m_isQuestion[i])
            continue;
        const QPointF s = screenOf(m_sortedXy[2 * i], m_sortedXy[2 * i + 1]);
        painter.setBrush(QColor::fromRgb(m_colours[i]));
        const QPointF diamond[4] = {s + QPointF(0, -5), s + QPointF(5, 0), s + QPointF(0, 5), s + QPointF(-5, 0)};
        painter.drawPolygon(diamond, 4);
    }
}

void MapCanvas::paintOverlay(QPainter& painter) {
    painter.setRenderHint(QPainter::Antialiasing, true);
    for (const MapLine& line : m_lines) {
        if (line.from < 0 || line.to < 0 || line.from >= pointCount() || line.to >= pointCount())
            continue;
        painter.setPen(QPen(line.colour, line.width, line.style, Qt::RoundCap));
        painter.drawLine(toScreen(line.from), toScreen(line.to));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(toScreen(line.to), 5.0, 5.0);
    }
    if (m_selected >= 0 && m_selected < pointCount()) {
        const QPointF s = toScreen(m_selected);
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(Qt::white, 4));
        painter.drawEllipse(s, 9.0, 9.0);
        painter.setPen(QPen(Qt::black, 2));
        painter.drawEllipse(s, 9.0, 9.0);
    }
}

void MapCanvas::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    paintMap(painter, size());
}

void MapCanvas::resizeEvent(QResizeEvent*) {
    m_size = size();
    if (!m_moved) // shown for the first time, or the window resized before the user moved the view
        fitAll();
}

void MapCanvas::wheelEvent(QWheelEvent* event) {
    zoomAt(event->position(), std::pow(1.0015, event->angleDelta().y()));
    event->accept();
}

void MapCanvas::mousePressEvent(QMouseEvent* event) {
    m_pressAt = m_lastMouse = event->position().toPoint();
    m_dragging = false;
}

void MapCanvas::mouseMoveEvent(QMouseEvent* event) {
    const QPoint at = event->position().toPoint();
    if (event->buttons() & Qt::LeftButton) {
        m_dragging = m_dragging || (at - m_pressAt).manhattanLength() > 3;
        if (m_dragging)
            panBy(at - m_lastMouse);
        m_lastMouse = at;
        return;
    }
    const int item = itemAt(event->position());
    if (item >= 0 && m_toolTip)
        QToolTip::showText(event->globalPosition().toPoint(), m_toolTip(item), this);
    else
        QToolTip::hideText();
}

void MapCanvas::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton || m_dragging)
        return;
    if (const int item = itemAt(event->position()); item >= 0)
        Q_EMIT itemClicked(item);
}

void MapCanvas::mouseDoubleClickEvent(QMouseEvent* event) {
    if (const int item = itemAt(event->position()); item >= 0)
        Q_EMIT itemDoubleClicked(item);
}

} // namespace uae::ui
