#include "embedding_map_view.h"

#include "map_canvas.h"
#include "workbench_session.h"

#include "uae/run_types.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace uae::ui {

namespace {

// Okabe-Ito colours (distinguishable with the common colour-vision deficiencies) for the lines.
const QColor kGold(0, 158, 115), kTopA(213, 94, 0), kTopB(0, 114, 178);

// Golden-ratio hues: neighbouring paper indices get far-apart colours.
QRgb paperColour(int paper) {
    const double hue = std::fmod(paper * 0.618033988749895, 1.0);
    return QColor::fromHsvF(float(hue), paper % 2 ? 0.55f : 0.75f, paper % 3 ? 0.80f : 0.62f).rgb();
}

// Viridis (perceptually uniform, colour-blind safe) at t in [0, 1].
QRgb viridis(double t) {
    static const QColor stops[] = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
    t = std::clamp(t, 0.0, 1.0) * 4;
    const int i = std::min(3, int(t));
    const double f = t - i;
    const QColor &a = stops[i], &b = stops[i + 1];
    return qRgb(int(a.red() + f * (b.red() - a.red())), int(a.green() + f * (b.green() - a.green())),
                int(a.blue() + f * (b.blue() - a.blue())));
}

} // namespace

EmbeddingMapView::EmbeddingMapView(WorkbenchSession& session, QWidget* parent)
    : QWidget(parent), m_session(session), m_methodA(new QComboBox), m_methodB(new QComboBox),
      m_colourBy(new QComboBox), m_limit(new QSpinBox), m_compute(new QPushButton(tr("Compute map"))),
      m_legend(new QLabel) {
    auto* panes = new QSplitter(Qt::Horizontal);
    for (int i = 0; i < 2; ++i) {
        auto* pane = new QWidget;
        auto* layout = new QVBoxLayout(pane);
        layout->setContentsMargins(2, 2, 2, 2);
        m_titles.append(new QLabel);
        m_titles.back()->setWordWrap(true);
        m_canvases.append(new MapCanvas);
        m_canvases.back()->setToolTipProvider([this](int item) { return toolTipFor(item); });
        connect(m_canvases.back(), &MapCanvas::itemClicked, this, [this](int item) { onItemClicked(item, false); });
        connect(m_canvases.back(), &MapCanvas::itemDoubleClicked, this,
                [this](int item) { onItemClicked(item, true); });
        layout->addWidget(m_titles.back());
        layout->addWidget(m_canvases.back(), 1);
        panes->addWidget(pane);
    }
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(buildControls());
    layout->addWidget(panes, 1);
    layout->addWidget(m_legend);
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setWordWrap(true); // unwrapped, the legend alone made the window wider than 1440 px
    m_legend->setText(tr("<span style='color:%1'>━━</span> gold paragraph &nbsp; "
                         "<span style='color:%2'>╍╍</span> top-1 of the left method &nbsp; "
                         "<span style='color:%3'>┈┈</span> top-1 of the right method &nbsp; "
                         "◆ question &nbsp; ● paragraph &nbsp; — wheel: zoom, drag: pan, click a ◆: select "
                         "it in the inspector, double-click: open it there. Many points: density (opacity by count).")
                          .arg(kGold.name(), kTopA.name(), kTopB.name()));
    connect(&m_session, &WorkbenchSession::embeddingMapReady, this, &EmbeddingMapView::showMap);
    reloadMethods();
    showMap();
}

QWidget* EmbeddingMapView::buildControls() {
    auto* bar = new QWidget;
    auto* row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(new QLabel(tr("Left:")));
    row->addWidget(m_methodA);
    row->addWidget(new QLabel(tr("Right:")));
    row->addWidget(m_methodB);
    row->addWidget(new QLabel(tr("Questions:")));
    m_limit->setRange(0, 1000000);
    m_limit->setSpecialValueText(tr("all"));
    m_limit->setToolTip(tr("The first N questions of the split and every paragraph of their papers (0: all)"));
    row->addWidget(m_limit);
    row->addWidget(m_compute);
    row->addSpacing(16);
    row->addWidget(new QLabel(tr("Colour by:")));
    m_colourBy->addItems({tr("paper"), tr("teacher utility"), tr("question / paragraph")});
    row->addWidget(m_colourBy);
    auto* fit = new QPushButton(tr("Fit"));
    row->addWidget(fit);
    row->addStretch(1);
    m_methodA->setMinimumContentsLength(18);
    m_methodB->setMinimumContentsLength(18);
    connect(m_compute, &QPushButton::clicked, this, &EmbeddingMapView::compute);
    connect(m_colourBy, &QComboBox::currentIndexChanged, this, [this] { recolour(); });
    connect(fit, &QPushButton::clicked, this, [this] {
        for (auto* c : m_canvases)
            c->fitAll();
    });
    return bar;
}

void EmbeddingMapView::reloadMethods() {
    const QString a = m_methodA->currentText(), b = m_methodB->currentText();
    QStringList dense;
    for (const QString& m : m_session.methods())
        if (auto id = parseMethod(m.toStdString()); id && id->method != Method::Bm25 && id->method != Method::LlmRerank)
            dense << m;
    m_methodA->clear();
    m_methodA->addItems(dense);
    m_methodB->clear();
    m_methodB->addItem(tr("none"));
    m_methodB->addItems(dense);
    if (!a.isEmpty())
        m_methodA->setCurrentText(a);
    m_methodB->setCurrentText(!b.isEmpty() ? b : dense.contains("uae") ? QStringLiteral("uae") : tr("none"));
}

void EmbeddingMapView::setMethods(const QString& a, const QString& b) {
    m_methodA->setCurrentText(a);
    m_methodB->setCurrentText(b.isEmpty() ? tr("none") : b);
}

void EmbeddingMapView::setLimit(int questions) {
    m_limit->setValue(questions);
}

int EmbeddingMapView::compute() {
    QStringList methods{m_methodA->currentText()};
    if (m_methodB->currentIndex() > 0 && m_methodB->currentText() != methods.front())
        methods << m_methodB->currentText();
    const int job = m_session.computeEmbeddingMap(methods, m_limit->value());
    Q_EMIT statusMessage(job ? tr("Computing the embedding map of %1…").arg(methods.join(", "))
                             : tr("Load a split and open a workspace first."));
    return job;
}

int EmbeddingMapView::shownLayers() const {
    return static_cast<int>(m_layerMethods.size());
}

void EmbeddingMapView::setColourBy(ColourBy by) {
    m_colourBy->setCurrentIndex(static_cast<int>(by));
}

QString EmbeddingMapView::questionIdOfItem(int item) const {
    const auto map = m_session.embeddingMap();
    const auto data = m_session.splitDataset();
    if (!map || !data || item < 0 || item >= int(map->items.size()) || map->items[item].kind != MapItemKind::Question)
        return {};
    return QString::fromStdString(data->questions[map->items[item].index].id);
}

void EmbeddingMapView::showMap() {
    const auto map = m_session.embeddingMap();
    m_layerMethods.clear();
    for (int i = 0; i < m_canvases.size(); ++i) {
        const bool shown = map && i < int(map->layers.size());
        m_canvases[i]->parentWidget()->setVisible(shown || i == 0);
        if (!shown) {
            m_canvases[i]->setPoints(nullptr, {}, {});
            m_titles[i]->setText(i == 0 ? tr("No map yet: choose one or two encoders and press Compute map. "
                                             "Questions and paragraphs of the loaded split are encoded (through "
                                             "the embedding cache) and projected with PCA.")
                                        : QString());
            continue;
        }
        const MapLayer& layer = map->layers[i];
        m_layerMethods << QString::fromStdString(layer.method);
        std::vector<std::uint8_t> isQuestion(map->items.size());
        for (size_t k = 0; k < map->items.size(); ++k)
            isQuestion[k] = map->items[k].kind == MapItemKind::Question;
        const auto& p = layer.projection;
        const double total = p.totalVariance > 0 ? p.totalVariance : 1;
        const QString encoder =
            layer.encoder == layer.method
                ? QString()
                : QStringLiteral(" (%1)").arg(QString::fromStdString(layer.encoder).toHtmlEscaped());
        m_titles[i]->setText(tr("<b>%1</b>%2 — PCA: the axes hold %3% and %4% of the variance · %5 points")
                                 .arg(QString::fromStdString(layer.method).toHtmlEscaped(), encoder)
                                 .arg(100 * p.variance[0] / total, 0, 'f', 1)
                                 .arg(100 * p.variance[1] / total, 0, 'f', 1)
                                 .arg(map->items.size()));
        m_canvases[i]->setPoints(std::make_shared<const std::vector<float>>(p.xy), {}, std::move(isQuestion));
    }
    m_utilities = m_session.mapUtilities();
    recolour();
    showQuestion(m_questionId); // the selection outlives a new map
    if (map)
        Q_EMIT statusMessage(
            tr("Embedding map of %1: %2 points").arg(m_layerMethods.join(", ")).arg(map->items.size()));
}

void EmbeddingMapView::recolour() {
    const auto map = m_session.embeddingMap();
    if (!map)
        return;
    const auto by = static_cast<ColourBy>(m_colourBy->currentIndex());
    std::vector<QRgb> colours(map->items.size());
    for (size_t i = 0; i < colours.size(); ++i) {
        const MapItem& item = map->items[i];
        const bool question = item.kind == MapItemKind::Question;
        if (by == ColourBy::Paper)
            colours[i] = paperColour(item.paper);
        else if (by == ColourBy::Kind)
            colours[i] = question ? qRgb(230, 159, 0) : qRgb(0, 114, 178);
        else if (question)
            colours[i] = qRgb(60, 60, 60);
        else
            colours[i] =
                i < m_utilities.size() && !std::isnan(m_utilities[i]) ? viridis(m_utilities[i]) : qRgb(205, 205, 205);
    }
    for (int i = 0; i < shownLayers(); ++i)
        m_canvases[i]->setColours(colours);
}

void EmbeddingMapView::updateLines() {
    const auto map = m_session.embeddingMap();
    const auto data = m_session.splitDataset();
    if (!map || !data)
        return;
    std::vector<const QuestionResult*> rankings;
    const std::string id = m_question >= 0 ? data->questions[m_question].id : std::string();
    for (const QString& method : m_layerMethods)
        rankings.push_back(MethodResults::find(m_session.results(method), id));
    std::vector<MapLine> lines;
    for (const MapLink& link : mapLinks(*map, *data, m_question, rankings)) {
        if (link.kind == MapLinkKind::Gold)
            lines.push_back({link.from, link.to, kGold, Qt::SolidLine, 2.5});
        else
            lines.push_back({link.from, link.to, link.ranking == 0 ? kTopA : kTopB,
                             link.ranking == 0 ? Qt::DashLine : Qt::DotLine, 2.5});
    }
    const int selected = map->itemOfQuestion(m_question);
    for (int i = 0; i < shownLayers(); ++i) {
        m_canvases[i]->setLines(lines);
        m_canvases[i]->setSelected(selected);
    }
}

bool EmbeddingMapView::showQuestion(const QString& questionId) {
    const auto map = m_session.embeddingMap();
    const auto data = m_session.splitDataset();
    const Question* q = data ? data->findQuestion(questionId.toStdString()) : nullptr;
    m_questionId = questionId;
    m_question = q ? int(q - data->questions.data()) : -1;
    updateLines();
    return map && map->itemOfQuestion(m_question) >= 0;
}

void EmbeddingMapView::onItemClicked(int item, bool open) {
    const QString id = questionIdOfItem(item);
    if (id.isEmpty()) {
        Q_EMIT statusMessage(toolTipFor(item).remove(QRegularExpression("<[^>]*>")).left(200));
        return;
    }
    showQuestion(id);
    Q_EMIT questionClicked(id);
    if (open)
        Q_EMIT openInInspector(id);
}

QString EmbeddingMapView::toolTipFor(int item) const {
    const auto map = m_session.embeddingMap();
    const auto data = m_session.splitDataset();
    if (!map || !data || item < 0 || item >= int(map->items.size()))
        return {};
    const MapItem& it = map->items[item];
    const Paper& paper = data->papers[it.paper];
    const QString title = QString::fromStdString(paper.title).toHtmlEscaped();
    if (it.kind == MapItemKind::Question)
        return tr("<b>Question</b> (%1)<br>%2<br><i>%3</i>")
            .arg(QString::fromStdString(data->questions[it.index].id).toHtmlEscaped(),
                 QString::fromStdString(data->questions[it.index].text).toHtmlEscaped(), title);
    const Paragraph& para = paper.paragraphs[it.index];
    QString text = QString::fromStdString(para.text);
    if (text.size() > 360)
        text = text.left(360) + QStringLiteral("…");
    QString utility;
    if (size_t(item) < m_utilities.size() && !std::isnan(m_utilities[item]))
        utility = tr("<br>teacher utility (highest over the paper's questions): %1").arg(m_utilities[item], 0, 'f', 3);
    return tr("<b>¶%1</b> %2 — <i>%3</i><br>%4%5")
        .arg(it.index)
        .arg(QString::fromStdString(para.section).toHtmlEscaped(), title, text.toHtmlEscaped(), utility);
}

} // namespace uae::ui
