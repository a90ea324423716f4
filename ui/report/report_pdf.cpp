#include "report_pdf.h"

#include "plots/qcustomplot_include.h"
#include "report_html.h"
#include "run_charts.h"

#include <QApplication>
#include <QFileInfo>
#include <QPageLayout>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextDocument>

#include <cstdio>
#include <memory>
#include <optional>

namespace uae::ui {

namespace {

// Lays blocks out top to bottom on A4 pages. The writer's resolution is 96 dpi, as the screen's
// that QTextDocument and QCustomPlot lay out for, so one unit is one layout pixel and fonts come
// out at their point sizes.
class Pager {
public:
    Pager(QPdfWriter& writer, QCPPainter& painter, QString footer)
        : m_writer(writer), m_painter(painter), m_footer(std::move(footer)), m_width(writer.width()),
          m_height(writer.height() - kFooterHeight) {}

    double width() const { return m_width; }

    // A QTextDocument block; one taller than a page is cut across pages.
    void html(const QString& html, double spaceAfter = 10) {
        QTextDocument doc;
        doc.setDefaultFont(QFont(QApplication::font().family(), 9));
        doc.setDocumentMargin(0);
        doc.setTextWidth(m_width);
        doc.setHtml(html);
        const double height = doc.size().height();
        if (m_y + height > m_height && m_y > 0)
            newPage();
        for (double shown = 0; shown < height;) {
            const double slice = std::min(height - shown, m_height - m_y);
            m_painter.save();
            m_painter.translate(0, m_y - shown);
            doc.drawContents(&m_painter, QRectF(0, shown, m_width, slice));
            m_painter.restore();
            shown += slice;
            m_y += slice;
            if (shown < height)
                newPage();
        }
        m_y += spaceAfter;
    }

    // Plots side by side, each given its share of the width, `height` tall.
    void plots(const std::vector<std::pair<QCustomPlot*, double>>& plots, int height) {
        if (m_y + height > m_height && m_y > 0)
            newPage();
        double x = 0;
        for (const auto& [plot, share] : plots) {
            const int w = static_cast<int>(m_width * share) - 6;
            m_painter.save();
            m_painter.translate(x, m_y);
            plot->toPainter(&m_painter, w, height);
            m_painter.restore();
            x += m_width * share;
        }
        m_y += height + 10;
    }

    void newPage() {
        drawFooter();
        m_writer.newPage();
        m_y = 0;
        ++m_page;
    }

    void finish() { drawFooter(); }

private:
    static constexpr int kFooterHeight = 24;

    void drawFooter() {
        m_painter.save();
        m_painter.setPen(QColor(96, 96, 96));
        m_painter.setFont(QFont(QApplication::font().family(), 7));
        const QRectF line(0, m_height + 8, m_width, kFooterHeight - 8);
        m_painter.drawText(line, Qt::AlignLeft | Qt::AlignVCenter, m_footer);
        m_painter.drawText(line, Qt::AlignRight | Qt::AlignVCenter, QObject::tr("page %1").arg(m_page));
        m_painter.restore();
    }

    QPdfWriter& m_writer;
    QCPPainter& m_painter;
    QString m_footer;
    double m_width, m_height, m_y = 0;
    int m_page = 1;
};

std::vector<ChartRun> chartRuns(const ComparisonReport& report) {
    std::vector<ChartRun> runs;
    for (const ReportRun* r : {&report.a, &report.b})
        runs.push_back({QString::fromStdString(r->label), r->intervals, r->queryMs});
    return runs;
}

void drawCharts(Pager& pager, const ComparisonReport& report) {
    QCustomPlot metrics, latency;
    for (QCustomPlot* plot : {&metrics, &latency}) {
        plot->setFont(QFont(QApplication::font().family(), 8));
        plot->xAxis->setTickLabelFont(plot->font());
        plot->yAxis->setTickLabelFont(plot->font());
        plot->yAxis->setLabelFont(plot->font());
    }
    const auto runs = chartRuns(report);
    plotIntervalBars(&metrics, runs, kReportChartMetricNames);
    plotLatencyBars(&latency, runs);
    latency.xAxis->setTickLabelRotation(20); // two long run labels side by side
    pager.html(QObject::tr("<h3>Charts</h3><p>Left: each run's mean with its 95% interval. Right: the mean "
                           "query latency (the question's path) per run, log scale.</p>"),
               4);
    pager.plots({{&metrics, 0.62}, {&latency, 0.38}}, 230);
}

void drawReport(QPdfWriter& writer, const ComparisonReport& report) {
    QCPPainter painter(&writer);
    painter.setRenderHint(QPainter::Antialiasing);
    Pager pager(writer, painter, QString::fromStdString(report.title));
    pager.html(report::headerHtml(report));
    pager.html(report::headlineHtml(report));
    drawCharts(pager, report);
    pager.html(report::pairedHtml(report));
    pager.html(report::teacherHtml(report), 18);
    // The introduction goes with the first example, onto its page.
    QString examples = report::examplesIntroHtml(report);
    for (const auto& q : report.examples) {
        pager.html(examples + report::exampleHtml(report, q), 18);
        examples.clear();
    }
    if (report.examples.empty())
        pager.html(examples);
    pager.finish();
    painter.end();
}

QtMessageHandler g_qtMessages = nullptr;

// A command-line user has no session runtime folder to be told about; everything else is shown.
void cliMessage(QtMsgType type, const QMessageLogContext& context, const QString& message) {
    if (message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR")))
        return;
    if (g_qtMessages)
        g_qtMessages(type, context, message);
    else
        std::fprintf(stderr, "%s\n", qPrintable(message));
}

// The CLI has no QApplication: one on the offscreen platform, whatever QT_QPA_PLATFORM says, so
// the report never needs a display.
std::unique_ptr<QApplication> ensureApplication() {
    if (QCoreApplication::instance())
        return nullptr;
    g_qtMessages = qInstallMessageHandler(cliMessage);
    static int argc = 3;
    static char arg0[] = "uae", arg1[] = "-platform", arg2[] = "offscreen";
    static char* argv[] = {arg0, arg1, arg2, nullptr};
    return std::make_unique<QApplication>(argc, argv);
}

} // namespace

Status writeReportPdf(const ComparisonReport& report, const std::string& path) {
    const auto app = ensureApplication();
    const QString file = QString::fromStdString(path);
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly))
        return fail(path + ": cannot write: " + out.errorString().toStdString());
    {
        QPdfWriter writer(&out);
        writer.setResolution(96);
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(15, 14, 15, 12),
                                         QPageLayout::Millimeter));
        writer.setTitle(QString::fromStdString(report.title));
        writer.setCreator(QStringLiteral("UAE Workbench"));
        drawReport(writer, report);
    }
    if (!out.commit())
        return fail(path + ": cannot write: " + out.errorString().toStdString());
    return Ok{};
}

} // namespace uae::ui
