// MainWindow's menus, window-wide shortcuts and the Data tool bar.
#include "main_window.h"

#include "embedding_map_view.h"
#include "inspector_view.h"
#include "question_pane.h"
#include "workbench_session.h"

#include "uae/dataset_loader.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QSignalBlocker>
#include <QTabWidget>
#include <QToolBar>

namespace uae::ui {

void MainWindow::buildMenus() {
    auto* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Open &workspace…"), this, &MainWindow::openWorkspace);
    file->addAction(tr("Open QASPER or BEIR &folder…"), this, &MainWindow::openData);
    buildRecentMenus(file);
    file->addSeparator();
    auto* import = file->addAction(tr("&Import TREC run…"), this, &MainWindow::importTrecRunDialog);
    import->setObjectName("import-trec-action");
    import->setToolTip(tr("Store an outside system's run (qid Q0 docno rank score tag) as a run of the split "
                          "(uae import-run)"));
    file->addAction(tr("Export &report…"), this, &MainWindow::exportReportDialog)
        ->setObjectName("export-report-action");
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    auto* view = menuBar()->addMenu(tr("&View"));
    for (const char* dock : {"workspace-dock", "runs-dock", "jobs-dock", "indexes-dock", "settings-dock"})
        view->addAction(findChild<QDockWidget*>(dock)->toggleViewAction());
    // The shortcuts live on the window, so they also work while the menu bar is hidden.
    auto* present = new QAction(tr("&Presentation mode"), this);
    present->setObjectName("presentation-action");
    present->setShortcut(Qt::Key_F5);
    present->setCheckable(true);
    connect(present, &QAction::toggled, this, &MainWindow::setPresentationMode);
    addAction(present);
    view->addAction(present);
    auto* map = new QAction(tr("Embedding &map"), this);
    map->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    map->setToolTip(tr("Questions and paragraphs of the split in 2-D (PCA) for one or two encoders"));
    connect(map, &QAction::triggered, this, [this] { m_tabs->setCurrentWidget(m_map); });
    addAction(map);
    view->addAction(map);
    auto* pin = new QAction(tr("Pin question for the presentation list"), this);
    pin->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    connect(pin, &QAction::triggered, m_inspector->questions(), &QuestionPane::togglePin);
    addAction(pin);
    view->addAction(pin);
    buildFontActions(view);
    buildIndexMenu();
}

// The data's own splits (core's availableSplits) plus the one shown, so a BEIR folder offers its
// qrels' splits and nothing the folder lacks; refilled whenever a split or folder is loaded.
void MainWindow::fillSplits() {
    const QSignalBlocker quiet(m_split); // refilling is no choice of the user's
    const QString current = m_session.settings().split;
    m_split->clear();
    for (const auto& split : availableSplits(m_session.settings().dataDir.toStdString()))
        m_split->addItem(QString::fromStdString(split));
    if (m_split->findText(current) < 0)
        m_split->addItem(current);
    m_split->setCurrentText(current);
}

void MainWindow::buildToolBar() {
    auto* bar = addToolBar(tr("Data"));
    bar->setMovable(false);
    bar->addWidget(new QLabel(tr(" Split: ")));
    m_split->setObjectName("split-combo");
    fillSplits();
    bar->addWidget(m_split);
    bar->addWidget(new QLabel(tr(" Pool: ")));
    m_pool->addItem(tr("each paper"), QStringLiteral("paper"));
    m_pool->addItem(tr("whole split (corpus)"), QStringLiteral("corpus"));
    m_pool->setCurrentIndex(m_pool->findData(m_session.settings().pool));
    m_pool->setToolTip(tr("Rank each question against its own paper's paragraphs (QASPER's setting), or against "
                          "every paragraph of the split as a RAG system does; runs, methods and the inspector follow"));
    bar->addWidget(m_pool);
    bar->addSeparator();
    bar->addAction(tr("+ Method"), this, [this] { m_inspector->addPanel(m_session.methods().value(0)); })
        ->setToolTip(tr("Show one more method or stored run side by side (up to four)"));
    connect(m_pool, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_session.setPool(m_pool->itemData(index).toString()); });
    connect(m_split, &QComboBox::currentTextChanged, this, [this](const QString& split) {
        if (split != m_session.settings().split)
            m_session.loadDataset(m_session.settings().dataDir, split);
    });
}

} // namespace uae::ui
