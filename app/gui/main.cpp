// uae-workbench: the desktop workbench. Opens a workspace, loads a QASPER split in the
// background and shows two retrieval methods side by side for each question.
#include "inspector_view.h"
#include "job_runner.h"
#include "embedding_map_view.h"
#include "main_window.h"
#include "settings_panel.h"
#include "uae/data_paths.h"
#include "uae/device.h"
#include "workbench_session.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QSettings>
#include <QTabWidget>

#include <algorithm>
#include <array>
#include <cstdio>

namespace {

// --map A[,B]: the Map tab computes these encoders' map once the split is loaded.
void computeMapOnLoad(uae::ui::WorkbenchSession& session, uae::ui::MainWindow& window, const QStringList& encoders,
                      int limit) {
    QObject::connect(
        &session, &uae::ui::WorkbenchSession::datasetLoaded, &window,
        [&window, encoders, limit] {
            window.mapView()->reloadMethods();
            window.mapView()->setMethods(encoders.value(0), encoders.value(1));
            window.mapView()->setLimit(limit);
            window.mapView()->compute();
        },
        Qt::QueuedConnection);
}

// --methods, --tab, --select, --map: what the window shows first. The workspace decides which
// methods exist (uae needs a trained run); without --methods, those shown when the workbench was
// last closed.
void showRequested(uae::ui::WorkbenchSession& session, uae::ui::MainWindow& window, const QCommandLineParser& args,
                   const std::array<QCommandLineOption, 5>& o) {
    const auto& [methods, tab, select, map, mapLimit] = o;
    const QStringList last = uae::ui::InspectorView::savedMethods(QSettings());
    const QStringList shown = args.isSet(methods) || last.size() < 2 ? args.value(methods).split(',') : last;
    window.showMethods(shown.value(0, "bm25"), shown.value(1, "glove"));
    for (int i = 2; i < std::min<int>(4, static_cast<int>(shown.size())); ++i)
        window.addMethod(shown[i]);
    window.reloadRuns();
    const int tabIndex = QStringList{"inspector", "training", "compare", "map"}.indexOf(args.value(tab));
    window.tabs()->setCurrentIndex(std::max(0, tabIndex));
    if (args.isSet(select)) {
        const QString id = args.value(select);
        QObject::connect(
            &session, &uae::ui::WorkbenchSession::datasetLoaded, &window, [&window, id] { window.selectQuestion(id); },
            Qt::QueuedConnection);
    }
    if (args.isSet(map))
        computeMapOnLoad(session, window, args.value(map).split(','), args.value(mapLimit).toInt());
}

} // namespace

int main(int argc, char** argv) {
    uae::ensureThreadingEnvironment(argv);
    QApplication app(argc, argv);
    QApplication::setApplicationName("uae-workbench");
    QApplication::setOrganizationName("uae");

    QCommandLineParser args;
    args.setApplicationDescription("UAE Workbench: compare retrievers on QASPER");
    args.addHelpOption();
    const QCommandLineOption workspace("workspace",
                                       "Workspace database (default $UAE_WORKSPACE or ./uae-workspace.db).", "file");
    const QCommandLineOption data("data", "QASPER folder or file (default $UAE_QASPER_DIR or ./datasets/qasper).",
                                  "dir");
    const QCommandLineOption glove("glove", "GloVe model folder (default $UAE_GLOVE_DIR).", "dir");
    const QCommandLineOption bert("bert", "BERT/BGE model folder or Hugging Face id (default $UAE_BERT_MODEL).",
                                  "model");
    const QCommandLineOption split("split", "Split to open.", "name", "dev");
    const QCommandLineOption pool("pool",
                                  "Pool: paper (each question against its paper) or corpus (against every paragraph of "
                                  "the split).",
                                  "paper|corpus", uae::ui::SessionSettings{}.pool);
    const QCommandLineOption select("select", "Question id to show first.", "id");
    const QCommandLineOption noAutoRun("no-auto-run", "Do not compute missing runs on start-up.");
    const QCommandLineOption methods(
        "methods",
        "Two to four methods (or stored runs, run:ID) side by side, e.g. glove,uae,llm-rerank (default: those "
        "shown when the workbench was last closed).",
        "a,b[,c,d]");
    const QCommandLineOption tab("tab", "Tab to open: inspector, training, compare or map.", "name", "inspector");
    const QCommandLineOption map("map", "Embedding map of one or two encoders, computed at start.", "a[,b]");
    const QCommandLineOption mapLimit("map-limit", "The map's first N questions (default 0: all).", "n", "0");
    args.addOptions({workspace, data, glove, bert, split, pool, select, noAutoRun, methods, tab, map, mapLimit});
    args.process(app);
    if (args.value(pool) != "paper" && args.value(pool) != "corpus") {
        std::fprintf(stderr, "uae-workbench: --pool '%s': expected paper or corpus\n", qPrintable(args.value(pool)));
        return 2;
    }

    // Command-line options win over environment variables, which win over the saved settings.
    uae::ui::SessionSettings saved;
    uae::ui::SettingsPanel::load(saved, QSettings());
    auto pick = [&](const QCommandLineOption& option, const char* env, const QString& stored) {
        if (args.isSet(option))
            return args.value(option).toStdString();
        return qEnvironmentVariableIsSet(env) ? std::string() : stored.toStdString();
    };
    uae::ui::SessionSettings settings = saved;
    settings.workspace = QString::fromStdString(uae::defaultWorkspacePath(args.value(workspace).toStdString()));
    settings.dataDir = QString::fromStdString(uae::findQasperDir(pick(data, "UAE_QASPER_DIR", saved.dataDir)));
    settings.gloveDir = QString::fromStdString(uae::findGloveDir(pick(glove, "UAE_GLOVE_DIR", saved.gloveDir)));
    settings.bertModel = args.isSet(bert)                              ? args.value(bert)
                         : qEnvironmentVariableIsSet("UAE_BERT_MODEL") ? qEnvironmentVariable("UAE_BERT_MODEL")
                                                                       : saved.bertModel;
    settings.split = args.value(split);
    settings.pool = args.value(pool);
    uae::configureThreads(settings.threads);

    uae::ui::JobRunner runner;
    uae::ui::WorkbenchSession session(settings, runner);
    uae::ui::MainWindow window(session, runner);
    window.setAutoRun(!args.isSet(noAutoRun));
    if (const QString error = session.openWorkspace(settings.workspace); !error.isEmpty())
        QMessageBox::critical(&window, "Workspace", error);
    window.restoreLayout(); // geometry, splitters, font scale of the last session
    showRequested(session, window, args, {methods, tab, select, map, mapLimit});
    window.show();
    if (settings.dataDir.isEmpty())
        QMessageBox::information(&window, "QASPER",
                                 "QASPER was not found. Open its folder (File > Open QASPER folder, or View > "
                                 "Settings), pass --data DIR or set UAE_QASPER_DIR. The official release is at "
                                 "https://allenai.org/data/qasper (qasper-train-dev-v0.3.tgz); from a source "
                                 "checkout, scripts/setup-data.sh fetches it.");
    else
        session.loadDataset(settings.dataDir, settings.split);
    return QApplication::exec();
}
