#pragma once
// Index > Build vector index…: a dense method of the session, a split, a FAISS index-factory
// string (core's presets offered, any other typed) and, for IVF / HNSW, the nprobe / efSearch its
// corpus evaluations should search with when "use it" is ticked. The choices map to core's
// IndexBuildConfig through the session, as `uae index build` takes them.
#include "workbench_session.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;

namespace uae::ui {

class IndexBuildDialog : public QDialog {
    Q_OBJECT
public:
    explicit IndexBuildDialog(WorkbenchSession& session, QWidget* parent = nullptr);

    IndexBuildConfig config() const;
    // How the method's corpus evaluations search once built (nullopt: "use it" not ticked).
    std::optional<WorkbenchSession::IndexChoice> useAfter() const;

    QComboBox* methodBox() const { return m_method; }
    QComboBox* splitBox() const { return m_split; }
    QComboBox* factoryBox() const { return m_factory; }
    QSpinBox* knobBox() const { return m_knob; }
    QLabel* knobLabel() const { return m_knobLabel; }
    QCheckBox* useBox() const { return m_use; }
    QLabel* hint() const { return m_hint; }

private:
    void onFactoryChanged(const QString& factory); // the hint and which knob applies

    WorkbenchSession& m_session;
    QComboBox* m_method;
    QComboBox* m_split;
    QComboBox* m_factory;
    QLabel* m_hint;
    QLabel* m_knobLabel;
    QSpinBox* m_knob;
    QCheckBox* m_use;
};

} // namespace uae::ui
