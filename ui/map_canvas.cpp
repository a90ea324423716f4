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
    m_colours = std::move(colours);
    m_isQuestion = std::move(isQuestion);
    m_lines.clear();
    m_selected = -1;
    fitAll();
}

void MapCanvas::setColours(std::vector<QRgb> colours) {
    m_colours = std::move(colours);
    update();
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
        const QPointF s = toScreen(i);
        const double dx = s.x() - pixel.x(), dy = s.y() - pixel.y(), d = dx * dx + dy * dy;
        // A question wins a tie with the paragraphs under it: it is what a click selects.
        if (d < bestD || (d == bestD && best >= 0 && m_isQuestion[i] && !m_isQuestion[best])) {
            bestD = d;
            best = i;
        }
    }
    return best;
}

void MapCanvas::paintMap(QPainter& painter, QSize size) {
    m_size = size;
    painter.fillRect(QRect(QPoint(), size), QColor(252, 252, 250));
    if (!m_xy || m_xy->empty())
        return;
    const float* xy = m_xy->data();
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

// Each pixel: the mean colour of the points in it, more opaque the more points (log scale).
void MapCanvas::paintDensity(QPainter& painter, QSize size) {
    const int w = size.width(), h = size.height();
    if (w <= 0 || h <= 0)
        return;
    m_bins.assign(size_t(w) * h * 4, 0);
    const float* xy = m_xy->data();
    const long n = pointCount();
    std::uint32_t most = 1;
    for (long i = 0; i < n; ++i) {
        const int px = int(std::floor(w / 2.0 + (xy[2 * i] - m_centre.x()) * m_scale));
        const int py = int(std::floor(h / 2.0 - (xy[2 * i + 1] - m_centre.y()) * m_scale));
        if (px < 0 || py < 0 || px >= w || py >= h)
            continue;
        std::uint32_t* bin = &m_bins[(size_t(py) * w + px) * 4];
        const QRgb c = m_colours[i];
        bin[0] += qRed(c);
        bin[1] += qGreen(c);
        bin[2] += qBlue(c);
        most = std::max(most, ++bin[3]);
    }
    QImage image(w, h, QImage::Format_ARGB32_Premultiplied);
    const double logMost = std::log1p(double(most));
    for (int y = 0; y < h; ++y) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
        for (int x = 0; x < w; ++x) {
            const std::uint32_t* bin = &m_bins[(size_t(y) * w + x) * 4];
            if (!bin[3]) {
                line[x] = 0;
                continue;
            }
            const int alpha = int(255 * (0.35 + 0.65 * std::log1p(double(bin[3])) / logMost));
            line[x] = qPremultiply(qRgba(int(bin[0] / bin[3]), int(bin[1] / bin[3]), int(bin[2] / bin[3]), alpha));
        }
    }
    painter.drawImage(0, 0, image);
}

void MapCanvas::paintPoints(QPainter& painter, const std::vector<int>& visible) {
    const bool smooth = visible.size() < 5000;
    painter.setRenderHint(QPainter::Antialiasing, smooth);
    painter.setPen(Qt::NoPen);
    for (int i : visible) { // paragraphs first, questions over them
        if (m_isQuestion[i])
            continue;
        painter.setBrush(QColor::fromRgb(m_colours[i]));
        const QPointF s = toScreen(i);
        if (smooth)
            painter.drawEllipse(s, 3.0, 3.0);
        else
            painter.fillRect(QRectF(s.x() - 1.5, s.y() - 1.5, 3, 3), QColor::fromRgb(m_colours[i]));
    }
    painter.setPen(QPen(QColor(40, 40, 40), 1));
    for (int i : visible) {
        if (!m_isQuestion[i])
            continue;
        const QPointF s = toScreen(i);
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
