/// The help centre's answers (`/aide`): each from how this product behaves, with links to the screens.
public struct HelpArticle: Sendable, Equatable {
    /// Stable anchor, `[a-z0-9-]`.
    public let slug: String
    public let question: String
    /// Paragraphs of plain text (escaped when rendered; no HTML).
    public let answer: [String]
    /// (label, path) links to the screens concerned; paths as the product routes them (contracts.md §5), with
    /// `<org>` left as the literal placeholder `{organisation}` where an organisation id is needed.
    public let links: [HelpLink]

    public init(slug: String, question: String, answer: [String], links: [HelpLink]) {
        self.slug = slug
        self.question = question
        self.answer = answer
        self.links = links
    }
}

public struct HelpLink: Sendable, Equatable {
    public let label: String
    public let path: String

    public init(label: String, path: String) {
        self.label = label
        self.path = path
    }
}

/// Written from the product's screens and rules (permissions.md, admin.md, notifications.md, booking.md,
/// slots.md); where the code differs from the spec, the code's behaviour is described.
public enum HelpArticles {
    public static let all: [HelpArticle] = [
        HelpArticle(
            slug: "qui-voit-mon-agenda",
            question: "Qui voit mon agenda ?",
            answer: [
                """
                Dans une organisation, votre agenda est visible par vous-même, par les agents de cette organisation \
                qui partagent au moins un de vos services, par les agents du service Secrétariat et par les \
                administrateurs de l'organisation. Les agents des autres services ne le voient pas : il n'apparaît pas \
                dans leur choix d'agents, et son adresse leur reste fermée.
                """,
                """
                Un administrateur de territoire ne voit pas les agendas d'une organisation dont il n'est pas membre. \
                Les usagers ne voient jamais votre agenda : la prise de rendez-vous en ligne ne leur montre que des \
                horaires libres, sans nom d'agent.
                """,
                """
                Ceux qui voient votre agenda peuvent aussi y prendre des rendez-vous et gérer vos plages d'ouverture \
                et vos indisponibilités. Les rendez-vous qu'ils n'ont pas le droit d'ouvrir (ceux de vos autres \
                organisations, ou d'un service qui n'est pas le leur) y apparaissent en gris, « Occupé·e », sans motif \
                ni usager.
                """,
                """
                L'adresse donnée par « Synchronisation calendrier » montre aussi vos rendez-vous, sans les données \
                personnelles des usagers, à quiconque la connaît : gardez-la pour vous.
                """,
            ],
            links: [
                HelpLink(label: "Agenda", path: "/admin/organisations/{organisation}"),
                HelpLink(label: "Synchronisation calendrier", path: "/agents/calendar_sync"),
            ]
        ),
        HelpArticle(
            slug: "activer-un-service",
            question: "Comment activer un service dans le territoire ?",
            answer: [
                """
                Seul un administrateur du territoire active un service. Dans le menu « Paramètres », ouvrez « Espace \
                admin : services » : la page liste les services du catalogue national, chacun avec le nombre d'agents \
                du territoire qui y sont rattachés. Cochez le service, puis « Enregistrer ».
                """,
                """
                Le service peut ensuite être donné aux agents : dans « Espace admin : agents », ouvrez la fiche de \
                l'agent et cochez le service dans « Services ». Ce changement est réservé aux administrateurs du \
                territoire et aux agents qui ont un droit territorial ; un administrateur d'organisation ne peut pas \
                changer les services d'un agent. Les administrateurs d'organisation peuvent alors créer des motifs de \
                ce service dans « Motifs ».
                """,
                """
                Un service ne se désactive que lorsqu'il n'a plus aucun motif dans le territoire : sinon \
                l'enregistrement est refusé, et le message dit combien de motifs restent à supprimer. Le territoire \
                garde toujours au moins un service actif.
                """,
                """
                Le catalogue des services est tenu par l'exploitant de la plateforme : si le service dont vous avez \
                besoin n'y figure pas, demandez-lui de l'ajouter. Le service « Secrétariat » est particulier : ses \
                agents voient et gèrent tous les agendas et rendez-vous de leurs organisations, mais aucun motif ne \
                peut lui appartenir.
                """,
            ],
            links: [
                HelpLink(label: "Motifs", path: "/admin/organisations/{organisation}/motifs")
            ]
        ),
        HelpArticle(
            slug: "prendre-rdv-dans-une-autre-organisation",
            question: "Comment prendre rendez-vous pour un usager dans une autre organisation ?",
            answer: [
                """
                Dans « Trouver un RDV », quand votre organisation n'a aucune disponibilité pour le motif cherché, la \
                page l'indique et propose « Élargir la recherche ». Vous voyez alors, dans les autres organisations du \
                territoire, les motifs individuels du même service qui sont ouverts aux prescripteurs (tout choix de « \
                Qui peut réserver ce motif ? » sauf « Agents de l'organisation uniquement ») et rattachés à une plage \
                d'ouverture, chacun avec sa prochaine disponibilité dans les 6 mois.
                """,
                """
                « Voir les créneaux » ouvre la semaine de ce motif. Une fois le créneau choisi, le « Récapitulatif » \
                vous demande l'usager : la recherche porte sur tout le territoire, et les coordonnées des usagers que \
                vous ne suivez pas sont en partie masquées. « Confirmer le rendez-vous » l'enregistre dans l'autre \
                organisation, qui le gère ensuite, et l'usager reçoit la confirmation habituelle.
                """,
                """
                Un agent qui n'est ni administrateur de son organisation ni au Secrétariat ne voit que les motifs de \
                ses propres services.
                """,
                """
                L'autre façon est d'être membre de l'autre organisation : un administrateur du territoire vous y \
                ajoute, puis vous changez d'organisation avec le menu qui porte son nom, à gauche du menu principal, \
                et prenez rendez-vous comme d'habitude.
                """,
            ],
            links: [
                HelpLink(label: "Trouver un RDV", path: "/admin/organisations/{organisation}/creneaux_search"),
                HelpLink(label: "Usagers", path: "/admin/organisations/{organisation}/users"),
            ]
        ),
        HelpArticle(
            slug: "quand-les-sms-sont-envoyes",
            question: "Quand les SMS sont-ils envoyés aux usagers ?",
            answer: [
                """
                Un SMS part aussitôt, avec un e-mail si l'usager a une adresse, quand un rendez-vous est pris pour \
                lui, quand sa date, son heure ou son lieu change, quand il est annulé (« Annulé à la demande de \
                l'usager » ou « Annulé par le service ») et quand un rendez-vous annulé est remis à venir avec « \
                Réinitialiser ». Changer seulement les agents ne prévient pas l'usager, et les statuts « Honoré » et « \
                Absence non excusée » n'envoient rien.
                """,
                """
                Le rappel part à la même heure que le rendez-vous, deux jours avant, sans compter les dimanches ni les \
                jours fériés : un rendez-vous du jeudi à 10 h est rappelé le mardi à 10 h, un rendez-vous du lundi à \
                10 h le vendredi précédent à 10 h. Un rendez-vous pris après ce moment n'a pas de rappel : la \
                confirmation en tient lieu. Déplacer le rendez-vous déplace aussi son rappel.
                """,
                """
                « Envoyer un rappel », sur la page du rendez-vous, l'envoie tout de suite ; le rappel automatique \
                prévu pour la même heure n'est alors plus envoyé. Aucun message ne part pour un rendez-vous déjà \
                commencé ou passé. La page du rendez-vous liste chaque envoi dans « Historique des notifications ».
                """,
            ],
            links: [
                HelpLink(label: "Liste des RDV", path: "/admin/organisations/{organisation}/rdvs")
            ]
        ),
        HelpArticle(
            slug: "usager-sans-sms",
            question: "Pourquoi un usager ne reçoit-il pas de SMS ?",
            answer: [
                """
                Un SMS n'est envoyé qu'à un numéro de téléphone portable (06, 07 ou un numéro mobile d'outre-mer) : \
                une ligne fixe n'en reçoit jamais. Le dossier de l'usager doit aussi avoir « Accepte les notifications \
                par SMS » coché. Pour un proche, c'est la personne responsable qui reçoit les messages.
                """,
                """
                À l'étape « Notifications » de la prise de rendez-vous, chaque participant a deux cases : « Prévenir \
                l'usager (création, modification, annulation) » et « Envoyer un rappel ». Elles ne sont cochées par \
                défaut que si le motif est « Visible et notifié » (champ « Visibilité et notifications » du motif).
                """,
                """
                Enfin, le territoire doit avoir un fournisseur de SMS : l'administrateur du territoire le choisit dans \
                « Espace admin : SMS », où « Envoyer un SMS de test » vérifie qu'un message arrive. Un envoi qui a \
                échoué apparaît dans « Historique des notifications », sur la page du rendez-vous.
                """,
            ],
            links: [
                HelpLink(label: "Usagers", path: "/admin/organisations/{organisation}/users"),
                HelpLink(label: "Motifs", path: "/admin/organisations/{organisation}/motifs"),
            ]
        ),
        HelpArticle(
            slug: "travailler-dans-plusieurs-organisations",
            question: "Comment travailler dans plusieurs organisations ?",
            answer: [
                """
                Seul un administrateur du territoire peut ajouter à une organisation un agent déjà membre d'une autre \
                : dans « Espace admin : agents », « Inviter un agent » avec son adresse e-mail et les organisations \
                voulues. Un administrateur d'organisation qui essaie reçoit le message « Cet agent appartient déjà à \
                une autre organisation. Seul un administrateur de territoire peut l'associer à plusieurs \
                organisations. »
                """,
                """
                Vous travaillez dans une organisation à la fois. Le menu qui porte son nom, à gauche du menu \
                principal, liste vos organisations : en choisir une ouvre votre agenda dans celle-ci. Votre niveau \
                d'accès (agent ou administrateur) peut être différent dans chacune.
                """,
                """
                Votre agenda montre tous vos rendez-vous, quelle que soit leur organisation : ceux des autres \
                organisations en gris, « Occupé·e », et leurs horaires ne sont jamais proposés comme libres. Vos \
                indisponibilités valent partout ; une plage d'ouverture, elle, appartient à une seule organisation.
                """,
                """
                « Liste des RDV » peut filtrer plusieurs organisations à la fois, et l'adresse de « Synchronisation \
                calendrier » contient les rendez-vous de toutes. Les usagers, eux, restent propres à chaque \
                organisation, sauf si le territoire a choisi « Les usagers sont visibles dans toutes les organisations \
                du territoire ».
                """,
            ],
            links: [
                HelpLink(label: "Agenda", path: "/admin/organisations/{organisation}"),
                HelpLink(label: "Liste des RDV", path: "/admin/organisations/{organisation}/rdvs"),
                HelpLink(label: "Synchronisation calendrier", path: "/agents/calendar_sync"),
            ]
        ),
        HelpArticle(
            slug: "synchroniser-son-agenda",
            question: "Comment voir mes rendez-vous dans Outlook ou Google Agenda ?",
            answer: [
                """
                Ouvrez « Synchronisation calendrier » dans le menu à votre nom, en haut à droite. La page donne \
                l'adresse de votre calendrier, qui commence par webcal://, et un bouton « Copier le lien » quand \
                JavaScript est actif. Abonnez-y votre agenda (Google Agenda, Outlook, Thunderbird…) : il affiche vos \
                rendez-vous de toutes vos organisations, depuis un mois et à venir, sans les données personnelles des \
                usagers.
                """,
                """
                Google Agenda peut mettre jusqu'à 12 heures à afficher les changements ; Outlook les affiche \
                généralement dans l'heure. La synchronisation va dans un seul sens : supprimer un événement dans votre \
                agenda ne change rien ici.
                """,
                """
                Cette adresse donne accès à votre agenda : gardez-la pour vous. Si elle a été partagée par erreur, « \
                Régénérer le lien » en crée une nouvelle ; l'ancienne cesse aussitôt de fonctionner, et il faut \
                abonner à nouveau votre agenda.
                """,
                """
                Vous pouvez aussi recevoir chaque rendez-vous, plage d'ouverture ou indisponibilité par e-mail, avec \
                l'événement à ajouter à votre calendrier : choisissez lesquels dans « Préférences de notifications ».
                """,
            ],
            links: [
                HelpLink(label: "Synchronisation calendrier", path: "/agents/calendar_sync"),
                HelpLink(label: "Préférences de notifications", path: "/agents/preferences"),
            ]
        ),
        HelpArticle(
            slug: "modifier-ou-supprimer-un-usager",
            question: "Comment modifier ou supprimer les données d'un usager ?",
            answer: [
                """
                Dans « Usagers », ouvrez le dossier, puis « Modifier ». Tous les champs se corrigent, y compris « \
                Accepte les notifications par SMS » et « Accepte les notifications par e-mail ». Une adresse e-mail \
                déjà utilisée par un autre dossier est refusée ; les mêmes nom, prénom et date de naissance, ou le \
                même téléphone, donnent un avertissement. Deux dossiers de la même personne se réunissent avec « \
                Fusionner ».
                """,
                """
                La rubrique « Supprimer », en bas du dossier, propose deux choix. « Retirer l'usager de cette \
                organisation » : son dossier reste dans les autres organisations qui le suivent. « Supprimer le \
                dossier de l'usager » : il est retiré de toutes ses organisations, ce qui n'est possible que si vous \
                êtes membre de chacune.
                """,
                """
                Les deux sont refusés tant que l'usager ou l'un de ses proches a un rendez-vous à venir dans une \
                organisation concernée : annulez-le d'abord. Quand plus aucune organisation ne suit l'usager, son \
                dossier est anonymisé : son nom devient « Usager supprimé » et ses coordonnées sont effacées, y \
                compris dans les accusés d'envoi et l'historique ; ses rendez-vous passés restent, sans ses données.
                """,
            ],
            links: [
                HelpLink(label: "Usagers", path: "/admin/organisations/{organisation}/users")
            ]
        ),
        HelpArticle(
            slug: "suppression-automatique-des-donnees",
            question: "Quand les données d'un usager sont-elles supprimées automatiquement ?",
            answer: [
                """
                Chaque soir, les rendez-vous dont la date remonte à 2 ans ou plus sont supprimés. Un usager est \
                ensuite supprimé quand son dossier n'a été ni créé ni modifié depuis plus de 2 ans, qu'il n'a plus \
                aucun rendez-vous, qu'aucune invitation à prendre rendez-vous ne lui a été envoyée depuis 2 ans et \
                qu'il n'a plus de proche conservé : une personne responsable est gardée tant que l'un de ses proches \
                l'est.
                """,
                """
                C'est la règle annoncée aux usagers : « Si aucune modification n'est apportée et que l'usager n'a pris \
                aucun RDV durant deux ans, alors ses données seront supprimées automatiquement. » Une modification du \
                dossier par un agent ou par l'usager fait repartir ce délai ; les mises à jour faites par la \
                plateforme elle-même ne comptent pas.
                """,
                """
                D'autres données ont leur propre durée : le numéro, l'adresse e-mail et le texte des accusés d'envoi \
                sont effacés après 6 mois, et les accusés supprimés après 2 ans ; l'historique des modifications des \
                usagers et des rendez-vous est supprimé après 1 an.
                """,
            ],
            links: [
                HelpLink(label: "Usagers", path: "/admin/organisations/{organisation}/users")
            ]
        ),
        HelpArticle(
            slug: "ouvrir-la-reservation-en-ligne",
            question: "Comment ouvrir la prise de rendez-vous en ligne ?",
            answer: [
                """
                Un administrateur de l'organisation ouvre « Réservation en ligne » dans le menu « Paramètres ». La \
                page donne le lien de prise de rendez-vous de l'organisation, à diffuser aux usagers, et vérifie \
                chaque motif : « Ouvert aux agents et aux usagers », et « Associé à au moins une plage d'ouverture en \
                cours » (pour un motif collectif : au moins un RDV collectif à venir). Elle affiche « La réservation \
                en ligne est active » dès qu'un motif remplit les deux conditions ; sinon, elle dit quelle étape \
                manque.
                """,
                """
                Dans le formulaire du motif, section « 2. Réservation en ligne », choisissez « Ouvert aux agents et \
                aux usagers » pour « Qui peut réserver ce motif ? ». Réglez aussi le « Délai minimum de réservation » \
                (30 minutes par défaut), le « Délai maximum de réservation » (3 mois par défaut) et si les usagers \
                peuvent déplacer ou annuler leur rendez-vous.
                """,
                """
                Ajoutez ensuite ce motif à une plage d'ouverture en cours, depuis « Plages d'ouverture » dans l'agenda \
                de l'agent ; pour un motif sur place, la plage doit avoir un lieu. Les usagers voient les horaires \
                libres de ces plages, hors rendez-vous, indisponibilités et, sauf choix contraire du territoire, jours \
                fériés. Si la « Sectorisation » du motif n'est pas « Tout le territoire », seuls les usagers dont \
                l'adresse est dans un secteur attribué le trouvent.
                """,
                """
                Les usagers trouvent ces créneaux par le lien de l'organisation ou par la prise de rendez-vous à \
                partir de leur adresse. Renseignez aussi le téléphone, l'adresse e-mail ou le site de l'organisation \
                dans « Organisation » : ces coordonnées sont montrées aux usagers.
                """,
            ],
            links: [
                HelpLink(label: "Réservation en ligne", path: "/admin/organisations/{organisation}/online_booking"),
                HelpLink(label: "Motifs", path: "/admin/organisations/{organisation}/motifs"),
                HelpLink(label: "Organisation", path: "/admin/organisations/{organisation}/edit"),
            ]
        ),
        HelpArticle(
            slug: "modifier-le-texte-des-sms",
            question: "Pourquoi ne peut-on pas modifier le texte des SMS ?",
            answer: [
                """
                Les textes des SMS sont fixés par la plateforme, les mêmes pour tous les territoires. Ils ne \
                contiennent jamais le nom du motif : un SMS peut s'afficher sur un téléphone verrouillé ou être lu par \
                un proche, et un motif peut révéler une information sensible, sur la santé ou la situation sociale.
                """,
                """
                Un texte fixe tient aussi dans un seul SMS de 160 caractères dans les cas courants, ce qui limite le \
                coût et garde le message lisible. Les lettres accentuées absentes de l'alphabet des SMS perdent leur \
                accent, et si le texte est trop long, l'adresse du lieu est retirée pour ne garder que son nom. La \
                date, l'heure et le lien personnel vers le rendez-vous ne sont jamais coupés.
                """,
                """
                Le SMS reprend des informations que vous tenez à jour : le nom, l'adresse et le téléphone du lieu (« \
                Lieux »), le téléphone de l'organisation quand le lieu n'en a pas, l'intitulé d'un RDV collectif \
                (coupé à 50 caractères) et le nom court du service, par exemple « PMI ».
                """,
                """
                Pour donner des consignes (documents à apporter, accès…), utilisez les « Indications pour le RDV » du \
                motif : elles figurent dans les e-mails de confirmation et de rappel, qui peuvent, eux, nommer le \
                motif.
                """,
            ],
            links: [
                HelpLink(label: "Lieux", path: "/admin/organisations/{organisation}/lieux"),
                HelpLink(label: "Motifs", path: "/admin/organisations/{organisation}/motifs"),
            ]
        ),
    ]
}
