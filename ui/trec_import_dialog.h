#pragma once
// File > Import TREC run…, once a file is chosen: the pool its docnos count in (the session's by
// default) and the name it is stored under (method trec:NAME; empty: the file's tag), for the
// session's split and data folder. The choices map to core's TrecImportConfig through the session
// and are checked by that config's field table, as `uae import-run` checks them.
#include "workbench_session.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace uae::ui {

class TrecImportDialog : public QDialog {
    Q_OBJECT
public:
    TrecImportDialog(WorkbenchSession& session, const QString& file, QWidget* parent = nullptr);

    TrecImportConfig config() const;

    QComboBox* poolBox() const { return m_pool; }
    QLineEdit* nameEdit() const { return m_name; }
    QLabel* hint() const { return m_hint; }
    QPushButton* importButton() const { return m_import; }

private:
    void check(); // the hint and whether Import is enabled, from core's validation

    WorkbenchSession& m_session;
    QString m_file;
    QComboBox* m_pool;
    QLineEdit* m_name;
    QLabel* m_hint;
    QPushButton* m_import = nullptr;
};

} // namespace uae::ui
