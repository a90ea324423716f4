#pragma once
// A File submenu of recently used paths (workspaces or QASPER folders), newest first, kept in
// QSettings under `key`; the list's policy (length, order) is core's pushRecent (uae/view_prefs.h).
// GUI thread.
#include <QMenu>

namespace uae::ui {

class RecentMenu : public QMenu {
    Q_OBJECT
public:
    RecentMenu(const QString& title, QString key, QWidget* parent = nullptr);

    // Notes `path` as the most recent one (and saves the list).
    void add(const QString& path);
    QStringList paths() const;

Q_SIGNALS:
    void chosen(const QString& path);

private:
    void rebuild();

    QString m_key;
};

} // namespace uae::ui
