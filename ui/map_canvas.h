#pragma once
// One embedding map drawn: up to millions of points in data coordinates, panned (drag) and zoomed
// (wheel, around the cursor). Where more than pointLimit() points are in view it draws their
// density instead (a binned image, each pixel the mean colour of its points, opacity by log
// count); fewer are drawn one by one, questions as diamonds. Lines (gold, top-1) and a selected
// item are drawn over either. Hover asks toolTipFor(item) for its text; a click (a press and a
// release without a drag) emits itemClicked with the nearest item within a few pixels.
// GUI thread only; it knows nothing of QASPER, only items, colours and lines.
#include <QColor>
#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QWidget>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace uae::ui {

struct MapLine {
    int from = -1, to = -1; // items
    QColor colour;
    Qt::PenStyle style = Qt::SolidLine;
    double width = 2.0;
};

class MapCanvas : public QWidget {
    Q_OBJECT
public:
    explicit MapCanvas(QWidget* parent = nullptr);

    // xy: [n x 2]; colours and isQuestion: [n] each (shared, not copied per frame). Fits the view.
    void setPoints(std::shared_ptr<const std::vector<float>> xy, std::vector<QRgb> colours,
                   std::vector<std::uint8_t> isQuestion);
    void setColours(std::vector<QRgb> colours); // same size as the points
    void setLines(std::vector<MapLine> lines);
    void setSelected(int item); // -1: none
    int selected() const { return m_selected; }
    int pointCount() const { return m_xy ? static_cast<int>(m_xy->size() / 2) : 0; }
    void setToolTipProvider(std::function<QString(int item)> provider) { m_toolTip = std::move(provider); }

    // The view: data point at the widget's centre and pixels per data unit.
    void fitAll();
    void panBy(QPointF pixels);
    void zoomAt(QPointF pixel, double factor);
    // Centres the view on an item, keeping the zoom.
    void centreOn(int item);
    QPointF toScreen(int item) const;
    int itemAt(QPointF pixel, double radius = 8.0) const; // nearest item within radius, or -1

    // Draws the map into a painter of the given size: what paintEvent does, callable offscreen.
    void paintMap(QPainter& painter, QSize size);
    // How the last frame was drawn: points in view, and whether as a density image.
    long lastVisible() const { return m_lastVisible; }
    bool lastDensity() const { return m_lastDensity; }
    static constexpr long pointLimit() { return 20000; }

Q_SIGNALS:
    void itemClicked(int item);
    void itemDoubleClicked(int item);

protected:
    void paintEvent(QPaintEvent*) override;
    void resizeEvent(QResizeEvent*) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;

private:
    void paintDensity(QPainter& painter, QSize size);
    void paintPoints(QPainter& painter, const std::vector<int>& visible);
    void paintOverlay(QPainter& painter);
    QPointF screenOf(float x, float y) const;

    void sortForDrawing();

    std::shared_ptr<const std::vector<float>> m_xy; // by item
    // The same points in drawing order (sortForDrawing): m_order[k] is the item drawn k-th.
    std::vector<int> m_order;
    std::vector<float> m_sortedXy;
    std::vector<QRgb> m_colours;
    std::vector<std::uint8_t> m_isQuestion;
    std::vector<MapLine> m_lines;
    std::function<QString(int)> m_toolTip;
    int m_selected = -1;
    QPointF m_centre;     // data coordinates at the widget's centre
    double m_scale = 1.0; // pixels per data unit
    QSize m_size;         // of the frame being drawn
    QPoint m_pressAt, m_lastMouse;
    bool m_dragging = false;
    bool m_moved = false; // panned or zoomed since the last fit
    long m_lastVisible = 0;
    bool m_lastDensity = false;
    std::vector<std::uint32_t> m_bins; // density: r, g, b sums and count per pixel (kept between frames)
    QImage m_image;                    // the density or stamped points of the last frame
};

} // namespace uae::ui
