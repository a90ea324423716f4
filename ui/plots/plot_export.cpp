#include "plot_export.h"

#include "qcustomplot_include.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSvgGenerator>
#include <QToolTip>

namespace uae::ui {

QString exportPlot(QCustomPlot* plot, const QString& path, int width, int height) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    const int w = width > 0 ? width : plot->width(), h = height > 0 ? height : plot->height();
    bool ok = false;
    if (suffix == "png") {
        ok = plot->savePng(path, w, h, 2.0);
    } else if (suffix == "pdf") {
        ok = plot->savePdf(path, w, h);
    } else if (suffix == "svg") {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(QSize(w, h));
        svg.setViewBox(QRect(0, 0, w, h));
        svg.setTitle(plot->objectName());
        QCPPainter painter;
        ok = painter.begin(&svg);
        if (ok) {
            plot->toPainter(&painter, w, h);
            ok = painter.end();
        }
        ok = ok && QFileInfo(path).size() > 0;
    } else {
        return QObject::tr("%1: unknown plot format '%2' (png, pdf or svg)").arg(path, suffix);
    }
    return ok ? QString() : QObject::tr("%1: could not be written").arg(path);
}

namespace {

// The graph point nearest the mouse within a few pixels, shown as "name: x, y".
void showValueAt(QCustomPlot* plot, const QPoint& pos) {
    double best = 12.0 * 12.0;
    QString text;
    for (int g = 0; g < plot->graphCount(); ++g) {
        QCPGraph* graph = plot->graph(g);
        if (!graph->visible())
            continue;
        for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it) {
            const QPointF px = graph->coordsToPixels(it->key, it->value);
            const double d = (px.x() - pos.x()) * (px.x() - pos.x()) + (px.y() - pos.y()) * (px.y() - pos.y());
            if (d < best) {
                best = d;
                text = QStringLiteral("%1\n%2: %3\n%4: %5")
                           .arg(graph->name(), graph->keyAxis()->label(), QString::number(it->key, 'g', 5),
                                graph->valueAxis()->label(), QString::number(it->value, 'g', 5));
            }
        }
    }
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(plot->mapToGlobal(pos), text, plot);
}

} // namespace

void placeLegendRight(QCustomPlot* plot) {
    // A column beside the axis rect: the legend on top, an empty element below taking the rest of
    // the height (alone in a grid cell the legend spreads its entries over the whole height).
    auto* side = new QCPLayoutGrid;
    plot->plotLayout()->addElement(0, 1, side);
    plot->plotLayout()->setColumnStretchFactor(1, 0.001); // as narrow as the entries allow
    side->addElement(0, 0, plot->legend);                 // takes it out of the axis rect's inset layout
    side->addElement(1, 0, new QCPLayoutElement(plot));
    side->setRowStretchFactor(0, 0.001);
    plot->legend->setMargins(QMargins(4, 2, 4, 2));
}

void enablePlotTools(QCustomPlot* plot) {
    QObject::connect(plot, &QCustomPlot::mouseMove, plot, [plot](QMouseEvent* e) { showValueAt(plot, e->pos()); });
    plot->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(plot, &QWidget::customContextMenuRequested, plot, [plot](const QPoint& at) {
        QMenu menu(plot);
        menu.addAction(QObject::tr("Export plot…"), plot, [plot] {
            QString filter;
            const QString path =
                QFileDialog::getSaveFileName(plot, QObject::tr("Export plot"), "plot.png",
                                             QObject::tr("PNG (*.png);;PDF (*.pdf);;SVG (*.svg)"), &filter);
            if (path.isEmpty())
                return;
            if (const QString error = exportPlot(plot, path); !error.isEmpty())
                QMessageBox::warning(plot, QObject::tr("Export plot"), error);
        });
        menu.exec(plot->mapToGlobal(at));
    });
}

} // namespace uae::ui
