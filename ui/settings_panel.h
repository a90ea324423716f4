#pragma once
// The settings dock: data and model folders, compute device, threads and batch size. Applied to
// the session at once and kept in QSettings for the next start (command-line options win).
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QSettings;
class QSpinBox;

namespace uae::ui {

class WorkbenchSession;
struct SessionSettings;

class SettingsPanel : public QWidget {
    Q_OBJECT
public:
    explicit SettingsPanel(WorkbenchSession& session, QWidget* parent = nullptr);

    // Writes the session's settings to `store` / reads stored ones over defaults.
    static void save(const SessionSettings& s, QSettings& store);
    static void load(SessionSettings& s, const QSettings& store);

    void apply(); // the form -> the session (and QSettings)
    QLineEdit* gloveEdit() const { return m_glove; }
    QLineEdit* bertEdit() const { return m_bert; }
    QComboBox* deviceBox() const { return m_device; }
    // Fetched models (uae models): choosing a BERT-family one fills the BERT field with its name.
    QComboBox* fetchedBox() const { return m_fetched; }
    QSpinBox* threadsBox() const { return m_threads; }
    QSpinBox* batchBox() const { return m_batch; }

Q_SIGNALS:
    void applied();

private:
    WorkbenchSession& m_session;
    QLineEdit* m_data;
    QLineEdit* m_glove;
    QLineEdit* m_bert;
    QComboBox* m_fetched;
    QComboBox* m_device;
    QSpinBox* m_threads;
    QSpinBox* m_batch;
    QLabel* m_seen;
};

} // namespace uae::ui
