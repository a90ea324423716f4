#include "recent_menu.h"

#include "uae/view_prefs.h"

#include <QSettings>

#include <string>
#include <vector>

namespace uae::ui {

RecentMenu::RecentMenu(const QString& title, QString key, QWidget* parent)
    : QMenu(title, parent), m_key(std::move(key)) {
    // Rebuilt when opened: another window may have changed the list.
    connect(this, &QMenu::aboutToShow, this, &RecentMenu::rebuild);
    rebuild();
}

QStringList RecentMenu::paths() const {
    return QSettings().value(m_key).toStringList();
}

void RecentMenu::add(const QString& path) {
    std::vector<std::string> list;
    for (const QString& p : paths())
        list.push_back(p.toStdString());
    QStringList updated;
    for (const std::string& p : pushRecent(std::move(list), path.toStdString()))
        updated << QString::fromStdString(p);
    QSettings().setValue(m_key, updated);
    rebuild();
}

void RecentMenu::rebuild() {
    clear();
    const QStringList list = paths();
    for (int i = 0; i < list.size(); ++i) {
        const QString path = list[i];
        // &1..&8: Alt+F, then the submenu's key, then the digit opens it from the keyboard.
        addAction(QStringLiteral("&%1 %2").arg(i + 1).arg(path), this, [this, path] { Q_EMIT chosen(path); });
    }
    if (list.isEmpty())
        addAction(tr("(none yet)"))->setEnabled(false);
    setEnabled(true);
}

} // namespace uae::ui
