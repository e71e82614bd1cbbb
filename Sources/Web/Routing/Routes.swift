import Domain
import HTTP
import Persistence

/// The route table: every address the site answers, its group, and its action per method.
/// Adding a page is one row here, one controller action, one view model, one template.
extension WebApplication {
    static func routes(_ c: Controllers) -> RouteTable {
        RouteTable([
            Route(SiteURL.Pattern.health, .health, actions: ["GET": RouteAction { _ in .text("ok") }]),
            Route(SiteURL.Pattern.home, .page, actions: ["GET": RouteAction(c.home)]),
            Route(SiteURL.Pattern.agentSignIn, .page, actions: [
                "GET": RouteAction { try c.agentSessions.new(&$0) },
                "POST": RouteAction { try c.agentSessions.create(&$0) },
            ]),
            Route(SiteURL.Pattern.agentSignOut, .page, actions: ["DELETE": RouteAction { try c.agentSessions.destroy(&$0) }]),
            Route(SiteURL.Pattern.agentHome, .page, actions: ["GET": c.signedIn { try c.agentHome.show(&$0, $1) }]),
            // Agent accounts (booking.md §3.2, §10; admin.md §6).
            Route(SiteURL.Pattern.agentInvitationAccept, .page, actions: [
                "GET": RouteAction { try c.agentInvitations.edit(&$0) }
            ]),
            Route(SiteURL.Pattern.agentInvitation, .page, actions: [
                "POST": RouteAction { try c.agentInvitations.update(&$0) }
            ]),
            Route(SiteURL.Pattern.agentPasswordNew, .page, actions: ["GET": RouteAction { try c.agentPasswords.new(&$0) }]),
            Route(SiteURL.Pattern.agentPasswordEdit, .page, actions: [
                "GET": RouteAction { try c.agentPasswords.edit(&$0) }
            ]),
            Route(SiteURL.Pattern.agentPassword, .page, actions: [
                "POST": RouteAction { try c.agentPasswords.create(&$0) },
                "PATCH": RouteAction { try c.agentPasswords.update(&$0) },
            ]),
            Route(SiteURL.Pattern.agentEmailConfirmation, .page, actions: [
                "GET": RouteAction { try c.agentEmailConfirmations.show(&$0) },
                "POST": RouteAction { try c.agentEmailConfirmations.confirm(&$0) },
            ]),
            Route(SiteURL.Pattern.agentAccount, .page, actions: [
                "GET": c.signedIn { try c.agentAccounts.show(&$0, $1) },
                "PATCH": c.signedIn { try c.agentAccounts.update(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.agentPreferences, .page, actions: [
                "GET": c.signedIn { try c.agentAccounts.editPreferences(&$0, $1) },
                "PATCH": c.signedIn { try c.agentAccounts.updatePreferences(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.agentCalendarSync, .page, actions: [
                "GET": c.signedIn { try c.agentAccounts.calendarSync(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.agentCalendarSyncRegenerate, .page, actions: [
                "POST": c.signedIn { try c.agentAccounts.regenerateCalendarLink(&$0, $1) }
            ]),
            // « Exporter » and « Vos exports » (admin.md §8).
            Route(SiteURL.Pattern.agentExports, .page, actions: [
                "GET": c.signedIn { try c.exports.index(&$0, $1) },
                "POST": c.signedIn { try c.exports.create(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.agentExport, .page, actions: ["GET": c.signedIn { try c.exports.show(&$0, $1) }]),
            Route(SiteURL.Pattern.organisation, .page, actions: [
                "GET": c.signedIn { try c.agentHome.show(&$0, $1) },
                "PATCH": c.signedIn { try c.organisations.update(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.editOrganisation, .page, actions: ["GET": c.signedIn { try c.organisations.edit(&$0, $1) }]),
            Route(SiteURL.Pattern.agenda, .page, actions: ["GET": c.signedIn { try c.agentAgendas.show(&$0, $1) }]),
            Route(SiteURL.Pattern.agendaPrint, .page, actions: ["GET": c.signedIn { try c.agentAgendas.print(&$0, $1) }]),
            Route(SiteURL.Pattern.agendaEvents, .page, actions: ["GET": c.signedIn { try c.agentAgendas.events(&$0, $1) }]),
            // « Trouver un RDV » and the wizard (booking.md §1.2–§1.4).
            Route(SiteURL.Pattern.creneauxSearch, .page, actions: ["GET": c.signedIn { try c.creneauxSearch.index(&$0, $1) }]),
            Route(SiteURL.Pattern.prescription, .page, actions: [
                "GET": c.signedIn { try c.creneauxSearch.prescription(&$0, $1) },
                "POST": c.signedIn { try c.creneauxSearch.createPrescription(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.newRdv, .page, actions: ["GET": c.signedIn { try c.appointmentWizard.new(&$0, $1) }]),
            // « Liste des RDV » and the appointment page (booking.md §1.5, §9).
            Route(SiteURL.Pattern.rdvs, .page, actions: [
                "GET": c.signedIn { try c.appointments.index(&$0, $1) },
                "POST": c.signedIn { try c.appointmentWizard.create(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.editRdv, .page, actions: ["GET": c.signedIn { try c.appointments.edit(&$0, $1) }]),
            Route(SiteURL.Pattern.rdvStatus, .page, actions: [
                "POST": c.signedIn { try c.appointmentStatuses.create(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.rdvReminder, .page, actions: [
                "POST": c.signedIn { try c.appointmentReminders.create(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.rdvArrival, .page, actions: [
                "POST": c.signedIn { try c.appointmentArrivals.create(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.rdvParticipants, .page, actions: [
                "POST": c.signedIn { try c.appointmentParticipants.create(&$0, $1) },
                "DELETE": c.signedIn { try c.appointmentParticipants.destroy(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.rdv, .page, actions: [
                "GET": c.signedIn { try c.appointments.show(&$0, $1) },
                "PATCH": c.signedIn { try c.appointments.update(&$0, $1) },
                "DELETE": c.signedIn { try c.appointments.destroy(&$0, $1) },
            ]),
            // User files (domain.md §11, booking.md §9).
            Route(SiteURL.Pattern.users, .page, actions: [
                "GET": c.signedIn { try c.users.index(&$0, $1) },
                "POST": c.signedIn { try c.users.create(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.newUser, .page, actions: ["GET": c.signedIn { try c.users.new(&$0, $1) }]),
            Route(SiteURL.Pattern.user, .page, actions: [
                "GET": c.signedIn { try c.users.show(&$0, $1) },
                "PATCH": c.signedIn { try c.users.update(&$0, $1) },
                "DELETE": c.signedIn { try c.users.destroy(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.editUser, .page, actions: ["GET": c.signedIn { try c.users.edit(&$0, $1) }]),
            Route(SiteURL.Pattern.userInvitation, .page, actions: ["POST": c.signedIn { try c.users.invite(&$0, $1) }]),
            Route(SiteURL.Pattern.userReferents, .page, actions: [
                "POST": c.signedIn { try c.users.assignReferent(&$0, $1) },
                "DELETE": c.signedIn { try c.users.unassignReferent(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.userMerge, .page, actions: [
                "GET": c.signedIn { try c.users.mergeForm(&$0, $1) },
                "POST": c.signedIn { try c.users.merge(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.openingPeriods, .page, actions: [
                "GET": c.signedIn { try c.openingPeriods.index(&$0, $1) },
                "POST": c.signedIn { try c.openingPeriods.create(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.newOpeningPeriod, .page, actions: [
                "GET": c.signedIn { try c.openingPeriods.new(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.openingPeriod, .page, actions: [
                "GET": c.signedIn { try c.openingPeriods.show(&$0, $1) },
                "PATCH": c.signedIn { try c.openingPeriods.update(&$0, $1) },
                "DELETE": c.signedIn { try c.openingPeriods.destroy(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.editOpeningPeriod, .page, actions: [
                "GET": c.signedIn { try c.openingPeriods.edit(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.openingPeriodOccurrence, .page, actions: [
                "GET": c.signedIn { try c.openingPeriods.editOccurrence(&$0, $1) },
                "PATCH": c.signedIn { try c.openingPeriods.moveOccurrence(&$0, $1) },
                "DELETE": c.signedIn { try c.openingPeriods.cancelOccurrence(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.openingPeriodOccurrenceRestore, .page, actions: [
                "POST": c.signedIn { try c.openingPeriods.restoreOccurrence(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.collectiveRdvs, .page, actions: [
                "GET": c.signedIn { try c.collectiveRdvs.index(&$0, $1) },
                "POST": c.signedIn { try c.collectiveRdvs.create(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.newCollectiveRdv, .page, actions: [
                "GET": c.signedIn { try c.collectiveRdvs.new(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.absences, .page, actions: [
                "GET": c.signedIn { try c.absences.index(&$0, $1) },
                "POST": c.signedIn { try c.absences.create(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.newAbsence, .page, actions: ["GET": c.signedIn { try c.absences.new(&$0, $1) }]),
            Route(SiteURL.Pattern.absence, .page, actions: [
                "GET": c.signedIn { try c.absences.show(&$0, $1) },
                "PATCH": c.signedIn { try c.absences.update(&$0, $1) },
                "DELETE": c.signedIn { try c.absences.destroy(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.editAbsence, .page, actions: ["GET": c.signedIn { try c.absences.edit(&$0, $1) }]),
            Route(SiteURL.Pattern.absenceOccurrence, .page, actions: [
                "GET": c.signedIn { try c.absences.editOccurrence(&$0, $1) },
                "PATCH": c.signedIn { try c.absences.moveOccurrence(&$0, $1) },
                "DELETE": c.signedIn { try c.absences.cancelOccurrence(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.absenceOccurrenceRestore, .page, actions: [
                "POST": c.signedIn { try c.absences.restoreOccurrence(&$0, $1) }
            ]),
            // « Configuration » (admin.md §2).
            Route(SiteURL.Pattern.places, .page, actions: [
                "GET": c.signedIn { try c.places.index(&$0, $1) },
                "POST": c.signedIn { try c.places.create(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.newPlace, .page, actions: ["GET": c.signedIn { try c.places.new(&$0, $1) }]),
            Route(SiteURL.Pattern.place, .page, actions: [
                "PATCH": c.signedIn { try c.places.update(&$0, $1) },
                "DELETE": c.signedIn { try c.places.destroy(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.editPlace, .page, actions: ["GET": c.signedIn { try c.places.edit(&$0, $1) }]),
            Route(SiteURL.Pattern.motifs, .page, actions: [
                "GET": c.signedIn { try c.motifs.index(&$0, $1) },
                "POST": c.signedIn { try c.motifs.create(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.newMotif, .page, actions: ["GET": c.signedIn { try c.motifs.new(&$0, $1) }]),
            Route(SiteURL.Pattern.motif, .page, actions: [
                "PATCH": c.signedIn { try c.motifs.update(&$0, $1) },
                "DELETE": c.signedIn { try c.motifs.destroy(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.editMotif, .page, actions: ["GET": c.signedIn { try c.motifs.edit(&$0, $1) }]),
            Route(SiteURL.Pattern.organisationAgents, .page, actions: [
                "GET": c.signedIn { try c.organisationAgents.index(&$0, $1) },
                "POST": c.signedIn { try c.organisationAgents.create(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.newOrganisationAgent, .page, actions: [
                "GET": c.signedIn { try c.organisationAgents.new(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.intervenants, .page, actions: [
                "POST": c.signedIn { try c.organisationAgents.createIntervenant(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.newIntervenant, .page, actions: [
                "GET": c.signedIn { try c.organisationAgents.newIntervenant(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.agentRole, .page, actions: [
                "PATCH": c.signedIn { try c.organisationAgents.updateRole(&$0, $1) },
                "DELETE": c.signedIn { try c.organisationAgents.destroyRole(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.editAgentRole, .page, actions: [
                "GET": c.signedIn { try c.organisationAgents.editRole(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.resendAgentInvitation, .page, actions: [
                "POST": c.signedIn { try c.organisationAgents.resendInvitation(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.onlineBooking, .page, actions: ["GET": c.signedIn { try c.onlineBooking.show(&$0, $1) }]),
            // The public search (booking.md §2).
            Route(SiteURL.Pattern.publicSearch, .page, actions: ["GET": RouteAction { try c.publicSearch.index(&$0) }]),
            Route(SiteURL.Pattern.publicSlot, .page, actions: ["GET": RouteAction { try c.publicSearch.slot(&$0) }]),
            Route(SiteURL.Pattern.prescriberSearch, .page, actions: [
                "GET": RouteAction { try c.publicSearch.prescriberSearch(&$0) }
            ]),
            Route(SiteURL.Pattern.prescriberDetails, .page, actions: [
                "POST": RouteAction { try c.publicSearch.savePrescriberDetails(&$0) }
            ]),
            Route(SiteURL.Pattern.prescriberRdvs, .page, actions: ["POST": RouteAction { try c.publicSearch.prescribe(&$0) }]),
            Route(SiteURL.Pattern.prescriberConfirmation, .page, actions: [
                "GET": RouteAction { try c.publicSearch.prescriptionConfirmation(&$0) }
            ]),
            Route(SiteURL.Pattern.publicLink, .page, actions: ["GET": RouteAction { try c.publicSearch.publicLink(&$0) }]),
            Route(SiteURL.Pattern.publicLinkWithoutSlug, .page, actions: [
                "GET": RouteAction { try c.publicSearch.publicLink(&$0) }
            ]),
            Route(SiteURL.Pattern.accessibility, .page, actions: ["GET": RouteAction { try c.publicPages.accessibility(&$0) }]),
            Route(SiteURL.Pattern.privacy, .page, actions: ["GET": RouteAction { try c.publicPages.privacy(&$0) }]),
            Route(SiteURL.Pattern.legalNotice, .page, actions: ["GET": RouteAction { try c.publicPages.legalNotice(&$0) }]),
            Route(SiteURL.Pattern.apiDocs, .page, actions: ["GET": RouteAction { try c.apiDocs.page(&$0) }]),
            Route(SiteURL.Pattern.apiDocsDocument, .api, actions: ["GET": RouteAction { try c.apiDocs.document(&$0) }]),
            Route(SiteURL.Pattern.help, .page, actions: ["GET": RouteAction { try c.publicPages.help(&$0) }]),
            // The users' side (booking.md §2.2 steps 9–13, §3.3, §7).
            Route(SiteURL.Pattern.userSignIn, .page, actions: [
                "GET": RouteAction { try c.userSessions.new(&$0) }, "POST": RouteAction { try c.userSessions.create(&$0) },
            ]),
            Route(SiteURL.Pattern.userSignOut, .page, actions: ["DELETE": RouteAction { try c.userSessions.destroy(&$0) }]),
            Route(SiteURL.Pattern.userCodeSignIn, .page, actions: [
                "GET": RouteAction { try c.userSessions.newCode(&$0) },
                "POST": RouteAction { try c.userSessions.createCode(&$0) },
            ]),
            Route(SiteURL.Pattern.userCodeCheck, .page, actions: ["POST": RouteAction { try c.userSessions.checkCode(&$0) }]),
            Route(SiteURL.Pattern.userCodeSignUp, .page, actions: [
                "POST": RouteAction { try c.userSessions.signUpWithCode(&$0) }
            ]),
            Route(SiteURL.Pattern.userInvitationAccept, .page, actions: [
                "GET": RouteAction { try c.userInvitations.edit(&$0) }
            ]),
            Route(SiteURL.Pattern.userInvitationUpdate, .page, actions: [
                "POST": RouteAction { try c.userInvitations.update(&$0) }
            ]),
            Route(SiteURL.Pattern.userSignUp, .page, actions: [
                "GET": RouteAction { try c.userSessions.newSignUp(&$0) },
                "POST": RouteAction { try c.userSessions.createSignUp(&$0) },
            ]),
            Route(SiteURL.Pattern.userPasswordNew, .page, actions: ["GET": RouteAction { try c.userPasswords.new(&$0) }]),
            Route(SiteURL.Pattern.userPassword, .page, actions: [
                "POST": RouteAction { try c.userPasswords.create(&$0) },
                "PATCH": RouteAction { try c.userPasswords.update(&$0) },
            ]),
            Route(SiteURL.Pattern.userPasswordEdit, .page, actions: ["GET": RouteAction { try c.userPasswords.edit(&$0) }]),
            Route(SiteURL.Pattern.userConfirmation, .page, actions: ["GET": RouteAction { try c.userSessions.confirm(&$0) }]),
            Route(SiteURL.Pattern.userAccount, .page, actions: [
                "GET": c.signedInUser { try c.userAccounts.edit(&$0, $1) },
                "PATCH": c.signedInUser { try c.userAccounts.update(&$0, $1) },
                "DELETE": c.signedInUser { try c.userAccounts.destroy(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.userRelatives, .page, actions: [
                "GET": c.signedInUser { try c.userRelatives.index(&$0, $1) },
                "POST": c.signedInUser { try c.userRelatives.create(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.rebook, .page, actions: ["GET": RouteAction { try c.rebook.show(&$0) }]),
            Route(SiteURL.Pattern.tokenLink, .page, actions: [
                "GET": RouteAction { try c.tokenLinks.show(&$0) }, "POST": RouteAction { try c.tokenLinks.check(&$0) },
            ]),
            Route(SiteURL.Pattern.userRdvs, .page, actions: [
                "GET": c.signedInUser { try c.userRdvs.index(&$0, $1) },
                "POST": RouteAction { try c.publicSearch.book(&$0) },
            ]),
            Route(SiteURL.Pattern.userRdv, .page, actions: ["GET": c.signedInUser { try c.userRdvs.show(&$0, $1) }]),
            Route(SiteURL.Pattern.userRdvCancel, .page, actions: [
                "GET": c.signedInUser { try c.userRdvs.confirmCancel(&$0, $1) },
                "POST": c.signedInUser { try c.userRdvs.cancel(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.userRdvMove, .page, actions: [
                "GET": c.signedInUser { try c.userRdvs.reschedule(&$0, $1) },
                "POST": c.signedInUser { try c.userRdvs.move(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.userRdvWaitingList, .page, actions: [
                "POST": c.signedInUser { try c.userRdvs.joinWaitingList(&$0, $1) },
                "DELETE": c.signedInUser { try c.userRdvs.leaveWaitingList(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.userInformations, .page, actions: [
                "PATCH": RouteAction { try c.publicSearch.updateInformation(&$0) }
            ]),
            Route(SiteURL.Pattern.externalPublicLink, .page, actions: [
                "GET": RouteAction { try c.publicSearch.externalPublicLink(&$0) }
            ]),
            // « Statistiques » (admin.md §7).
            Route(SiteURL.Pattern.statistics, .page, actions: ["GET": RouteAction { try c.statistics.everything(&$0) }]),
            Route(SiteURL.Pattern.territoryStatistics, .page, actions: [
                "GET": RouteAction { try c.statistics.territory(&$0) }
            ]),
            Route(SiteURL.Pattern.organisationStatistics, .page, actions: [
                "GET": c.signedIn { try c.statistics.organisation(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.agentStatistics, .page, actions: ["GET": c.signedIn { try c.statistics.agent(&$0, $1) }]),
            // « Espace admin » (admin.md §3).
            Route(SiteURL.Pattern.territory, .page, actions: [
                "GET": c.signedIn { try c.territories.edit(&$0, $1) },
                "PATCH": c.signedIn { try c.territories.update(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.territoryOrganisations, .page, actions: [
                "GET": c.signedIn { try c.territories.organisations(&$0, $1) },
                "POST": c.signedIn { try c.territories.createOrganisation(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.sectors, .page, actions: [
                "GET": c.signedIn { try c.sectors.index(&$0, $1) },
                "POST": c.signedIn { try c.sectors.create(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.sector, .page, actions: [
                "GET": c.signedIn { try c.sectors.show(&$0, $1) },
                "DELETE": c.signedIn { try c.sectors.destroy(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.sectorAttributions, .page, actions: [
                "POST": c.signedIn { try c.sectors.addAttribution(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.sectorAttribution, .page, actions: [
                "DELETE": c.signedIn { try c.sectors.removeAttribution(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.sectorZones, .page, actions: ["POST": c.signedIn { try c.sectors.addZone(&$0, $1) }]),
            Route(SiteURL.Pattern.sectorZone, .page, actions: ["DELETE": c.signedIn { try c.sectors.removeZone(&$0, $1) }]),
            // A zone file of a département: a few thousand rows fit in 4 MiB.
            Route(SiteURL.Pattern.zonesImport, .page, maxBodyBytes: 4 << 20, actions: [
                "GET": c.signedIn { try c.sectors.newImport(&$0, $1) },
                "POST": c.signedIn(acceptsFiles: true) { try c.sectors.createImport(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.zonesExport, .page, actions: ["GET": c.signedIn { try c.sectors.export(&$0, $1) }]),
            Route(SiteURL.Pattern.sectorisationTest, .page, actions: ["GET": c.signedIn { try c.sectors.test(&$0, $1) }]),
            Route(SiteURL.Pattern.territoryServices, .page, actions: [
                "GET": c.signedIn { try c.territories.services(&$0, $1) },
                "PATCH": c.signedIn { try c.territories.updateServices(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.territorySMS, .page, actions: [
                "GET": c.signedIn { try c.smsSettings.edit(&$0, $1) },
                "PATCH": c.signedIn { try c.smsSettings.update(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.territorySMSTest, .page, actions: [
                "POST": c.signedIn { try c.smsSettings.sendTest(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.territoryMotifCategories, .page, actions: [
                "GET": c.signedIn { try c.territories.motifCategories(&$0, $1) },
                "PATCH": c.signedIn { try c.territories.updateMotifCategories(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.superAdminMotifCategories, .page, actions: [
                "GET": c.superAdmin { try c.superAdmins.motifCategories(&$0, $1) },
                "POST": c.superAdmin { try c.superAdmins.createMotifCategory(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.teams, .page, actions: [
                "GET": c.signedIn { try c.teams.index(&$0, $1) },
                "POST": c.signedIn { try c.teams.create(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.team, .page, actions: [
                "GET": c.signedIn { try c.teams.edit(&$0, $1) },
                "PATCH": c.signedIn { try c.teams.update(&$0, $1) },
                "DELETE": c.signedIn { try c.teams.destroy(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.territoryAgents, .page, actions: [
                "GET": c.signedIn { try c.territoryAgents.index(&$0, $1) },
                "POST": c.signedIn { try c.territoryAgents.create(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.territoryNewAgent, .page, actions: [
                "GET": c.signedIn { try c.territoryAgents.new(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.territoryAgent, .page, actions: [
                "GET": c.signedIn { try c.territoryAgents.edit(&$0, $1) },
                "PATCH": c.signedIn { try c.territoryAgents.update(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.territoryMotifs, .page, actions: [
                "GET": c.signedIn { try c.territoryMotifs.index(&$0, $1) },
                "PATCH": c.signedIn { try c.territoryMotifs.update(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.territoryMotifsBulkEdit, .page, actions: [
                "GET": c.signedIn { try c.territoryMotifs.bulkEdit(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.webhooks, .page, actions: [
                "GET": c.signedIn { try c.webhooks.index(&$0, $1) },
                "POST": c.signedIn { try c.webhooks.create(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.webhook, .page, actions: [
                "GET": c.signedIn { try c.webhooks.show(&$0, $1) },
                "PATCH": c.signedIn { try c.webhooks.update(&$0, $1) },
                "DELETE": c.signedIn { try c.webhooks.destroy(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.webhookSecret, .page, actions: [
                "POST": c.signedIn { try c.webhooks.regenerateSecret(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.webhookReplay, .page, actions: ["POST": c.signedIn { try c.webhooks.replay(&$0, $1) }]),
            // The instance operator (admin.md §11).
            Route(SiteURL.Pattern.superAdminHome, .page, actions: ["GET": c.superAdmin { try c.superAdmins.home(&$0, $1) }]),
            Route(SiteURL.Pattern.superAdminSignIn, .page, actions: [
                "GET": RouteAction { try c.superAdmins.newSession(&$0) },
                "POST": RouteAction { try c.superAdmins.createSession(&$0) },
            ]),
            Route(SiteURL.Pattern.superAdminSignOut, .page, actions: [
                "DELETE": RouteAction { try c.superAdmins.destroySession(&$0) }
            ]),
            Route(SiteURL.Pattern.superAdminPasswordEdit, .page, actions: [
                "GET": RouteAction { try c.superAdmins.editPassword(&$0) }
            ]),
            Route(SiteURL.Pattern.superAdminPassword, .page, actions: [
                "POST": RouteAction { try c.superAdmins.updatePassword(&$0) }
            ]),
            Route(SiteURL.Pattern.superAdminTerritories, .page, actions: [
                "POST": c.superAdmin { try c.superAdmins.createTerritory(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.superAdminServices, .page, actions: [
                "GET": c.superAdmin { try c.superAdmins.services(&$0, $1) },
                "POST": c.superAdmin { try c.superAdmins.createService(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.superAdminDevOutbox, .page, actions: [
                "GET": c.superAdmin { try c.superAdmins.devOutbox(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.superAdminJobs, .page, actions: ["GET": c.superAdmin { try c.superAdmins.jobs(&$0, $1) }]),
            Route(SiteURL.Pattern.superAdminJobRetry, .page, actions: [
                "POST": c.superAdmin { try c.superAdmins.retryJob(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.superAdminAgents, .page, actions: ["GET": c.superAdmin { try c.superAdmins.agents(&$0, $1) }]),
            Route(SiteURL.Pattern.superAdminImpersonation, .page, actions: [
                "POST": c.superAdmin { try c.superAdmins.impersonate(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.superAdminTerritoryExport, .page, actions: [
                "GET": c.superAdmin { try c.superAdmins.exportTerritory(&$0, $1) }
            ]),
            // A territory's document: its users and appointments fit in 32 MiB.
            Route(SiteURL.Pattern.superAdminTerritoryImport, .page, maxBodyBytes: 32 << 20, actions: [
                "GET": c.superAdmin { try c.superAdmins.importForm(&$0, $1) },
                "POST": c.superAdmin(acceptsFiles: true) { try c.superAdmins.importTerritory(&$0, $1) },
            ]),
            Route(SiteURL.Pattern.superAdminNewTerritory, .page, actions: [
                "GET": c.superAdmin { try c.superAdmins.newTerritory(&$0, $1) }
            ]),
            Route(SiteURL.Pattern.devOutbox, .page, actions: ["GET": c.signedIn { try c.devOutbox.index(&$0, $1) }]),
            Route(SiteURL.Pattern.calendarFeed, .feed, actions: ["GET": RouteAction { try c.calendarFeeds.show(&$0) }]),
            Route(SiteURL.Pattern.addresses, .api, actions: ["GET": RouteAction { try c.addresses.index($0) }]),
            Route(SiteURL.Pattern.favicon, .asset, actions: ["GET": RouteAction(c.asset)]),
        ] + c.partnerAPI.routes + SiteURL.Pattern.assets.map { Route($0, .asset, actions: ["GET": RouteAction(c.asset)]) })
    }
}

/// A policy's answer as the response: hidden → 404, refused → 403, both « Vous n'avez pas accès
/// à cette page. » (permissions.md).
func authorize(_ access: Access) throws {
    switch access {
    case .allowed: return
    case .refused: throw WebError.noAccessForbidden
    case .hidden: throw WebError.noAccess
    }
}

/// The controllers with their dependencies, built once by `WebApplication.init`.
struct Controllers: Sendable {
    let db: AppDatabase
    let responses: PageResponses
    let sessions: SessionLoader
    let staticFiles: StaticFiles
    let agentSessions: AgentSessionsController
    let agentHome: AgentHomeController
    let agentAgendas: AgentAgendasController
    let agentInvitations: AgentInvitationsController
    let agentPasswords: AgentPasswordsController
    let agentAccounts: AgentAccountsController
    let agentEmailConfirmations: AgentEmailConfirmationsController
    let openingPeriods: OpeningPeriodsController
    let absences: AbsencesController
    let collectiveRdvs: CollectiveAppointmentsController
    let devOutbox: DevOutboxController
    let creneauxSearch: CreneauxSearchController
    let appointmentWizard: AppointmentWizardController
    let appointments: AppointmentsController
    let appointmentStatuses: AppointmentStatusesController
    let appointmentReminders: AppointmentRemindersController
    let appointmentArrivals: AppointmentArrivalsController
    let appointmentParticipants: AppointmentParticipantsController
    let calendarFeeds: CalendarFeedsController
    let users: UsersController
    let exports: ExportsController
    let addresses: AddressesController
    let places: PlacesController
    let motifs: MotifsController
    let superAdmins: SuperAdminsController
    let organisationAgents: OrganisationAgentsController
    let sectors: SectorsController
    let onlineBooking: OnlineBookingController
    let statistics: StatisticsController
    let publicSearch: PublicSearchController
    let publicPages: PublicPagesController
    let userSessions: UserSessionsController
    let userRdvs: UserAppointmentsController
    let userInvitations: UserInvitationsController
    let userPasswords: UserPasswordsController
    let userRelatives: UserRelativesController
    let userAccounts: UserAccountsController
    let tokenLinks: TokenLinksController
    let rebook: RebookController
    let smsSettings: SMSSettingsController
    let webhooks: WebhooksController
    let teams: TeamsController
    let territoryAgents: TerritoryAgentsController
    let territoryMotifs: TerritoryMotifsController
    let organisations: OrganisationsController
    let territories: TerritoriesController
    let partnerAPI: PartnerAPI
    let apiDocs: APIDocsController

    /// `/`: the agent's own agenda in its first organisation when signed in (the home page is
    /// the agenda), the agent home without organisation, else the public search (booking.md §2.1).
    @Sendable func home(_ exchange: inout Exchange) throws -> HTTPResponse {
        guard let agent = exchange.agent else { return try publicSearch.index(&exchange) }
        guard let first = try db.agentOrganisations(agentID: agent.id).first else {
            return responses.redirect(.agents(.home))
        }
        return responses.redirect(.organisation(id: first.id, .agenda(agentID: agent.id)))
    }

    @Sendable func asset(_ exchange: inout Exchange) throws -> HTTPResponse {
        try staticFiles.response(for: exchange.request.path, request: exchange.request)
    }

    /// An action of the instance operator's back office: others are sent to its sign-in page.
    func superAdmin(
        acceptsFiles: Bool = false, _ action: @escaping @Sendable (inout Exchange, SuperAdminAccount) throws -> HTTPResponse
    ) -> RouteAction {
        RouteAction(acceptsFiles: acceptsFiles) { [responses, sessions] exchange in
            guard let account = exchange.superAdmin else {
                sessions.setFlash(.signInRequired, &exchange)
                return responses.redirect(.superAdmins(.signIn))
            }
            return try action(&exchange, account)
        }
    }

    /// An action for signed-in users (booking.md §3.3): others sign in by code and come back
    /// to the page they asked for.
    func signedInUser(_ action: @escaping @Sendable (inout Exchange, UserActor) throws -> HTTPResponse) -> RouteAction {
        RouteAction { [responses, sessions] exchange in
            if let access = exchange.tokenAccess {
                return try action(&exchange, .token(userID: access.userID, appointmentID: access.appointmentID))
            }
            guard let user = exchange.user else {
                sessions.setFlash(.signInRequired, &exchange)
                let back = exchange.method == "GET" ? exchange.request.path : SiteURL.users(.rdvs).path
                return responses.redirect(to: SiteURL.users(.codeSignIn).path(pairs: [("return_to", back)]))
            }
            return try action(&exchange, .account(user))
        }
    }

    /// An action for signed-in agents: anonymous visitors are sent to the sign-in page, and an
    /// organisation in the path must be one of the agent's (permissions.md: a record out of
    /// scope is absent, 404).
    func signedIn(
        acceptsFiles: Bool = false, _ action: @escaping @Sendable (inout Exchange, AgentContext) throws -> HTTPResponse
    ) -> RouteAction {
        RouteAction(acceptsFiles: acceptsFiles) { [db, responses, sessions] exchange in
            guard let account = exchange.agent else {
                sessions.setFlash(.signInRequired, &exchange)
                return responses.redirect(.agents(.signIn))
            }
            let principal = try db.principal(agentID: account.id)
            let memberships = try db.agentOrganisations(agentID: account.id)
            var current = memberships.first
            if exchange.parameters.values["organisation_id"] != nil {
                let id = exchange.parameters.id("organisation_id")
                try authorize(OrganisationPolicy.show(principal, organisationID: id))
                current = memberships.first { $0.id == id }
            }
            return try action(
                &exchange,
                AgentContext(
                    account: account, principal: principal, memberships: memberships, currentOrganisation: current))
        }
    }
}
