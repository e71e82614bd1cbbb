// The MustacheFields tables of the layout (see MustacheFields.swift).

import Mustache

extension LayoutModel: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "signedInAgent": { $0.signedInAgent },
        "organisations": { $0.organisations },
        "hasSeveralOrganisations": { $0.hasSeveralOrganisations },
        "currentOrganisationName": { $0.currentOrganisationName },
        "mainMenu": { $0.mainMenu },
        "hasMainMenu": { $0.hasMainMenu },
        "accountMenu": { $0.accountMenu },
        "settingsMenu": { $0.settingsMenu },
        "hasSettingsMenu": { $0.hasSettingsMenu },
        "simulatedClock": { $0.simulatedClock },
        "impersonationNotice": { $0.impersonationNotice },
        "csrfToken": { $0.csrfToken },
        "flash": { $0.flash },
        "hasErrors": { $0.hasErrors },
        "homePath": { $0.homePath },
        "statisticsPath": { $0.statisticsPath },
        "agentSignInPath": { $0.agentSignInPath },
        "accessibilityPath": { $0.accessibilityPath },
        "privacyPath": { $0.privacyPath },
        "legalNoticePath": { $0.legalNoticePath },
        "helpPath": { $0.helpPath },
        "signOutPath": { $0.signOutPath },
    ])
}

extension LayoutModel.SignedInAgent: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "displayName": { $0.displayName },
    ])
}

extension LayoutModel.Flash: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "kind": { $0.kind },
        "message": { $0.message },
        "isError": { $0.isError },
    ])
}

extension LayoutModel.OrganisationLink: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "name": { $0.name },
        "path": { $0.path },
        "isCurrent": { $0.isCurrent },
    ])
}

extension LayoutModel.MenuLink: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "label": { $0.label },
        "path": { $0.path },
        "isCurrent": { $0.isCurrent },
    ])
}

// Generic: no stored static table.
extension PageEnvelope: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "page": page
        default: nil
        }
    }
}
