// Per-tenant locale: invented people's names, the Outlook folder names an inbox rule moves mail to, the date styles
// of the CSV exports, and where the offices are. A seed picks one, so folder names and date formats vary by seed.
import type { DateStyle } from '../clock.js';

export interface Locale {
  id: string;
  /** countries the tenant's offices are in (first = headquarters) */
  officeCities: string[];
  first: string[];
  last: string[];
  /** Outlook default folder names in this language: where BEC rules hide replies */
  folders: { rss: string; history: string; archive: string; deleted: string; inbox: string; junk: string };
  /** benign inbox-rule folder names people create */
  userFolders: string[];
  /** Export-Csv culture used by the admin who ran Search-UnifiedAuditLog / Get-MessageTrace */
  psDateStyle: DateStyle;
  /** words for invented company names */
  companyWords: string[];
  /** marketing newsletter subjects */
  newsletter: string[];
}

export const LOCALES: readonly Locale[] = [
  {
    id: 'en-US',
    officeCities: ['Chicago', 'Seattle', 'New York', 'Atlanta', 'Denver', 'Toronto'],
    first: ['Avery', 'Jordan', 'Morgan', 'Riley', 'Casey', 'Taylor', 'Jamie', 'Dana', 'Quinn', 'Reese', 'Parker', 'Rowan', 'Harper', 'Emerson', 'Logan', 'Skyler', 'Blake', 'Cameron', 'Drew', 'Hayden', 'Kendall', 'Peyton', 'Sawyer', 'Finley', 'Marlow', 'Ellis', 'Jules', 'Sage', 'Tatum', 'Lane'],
    last: ['Whitfield', 'Harrow', 'Lindqvist', 'Ostrander', 'Caldwell', 'Brennick', 'Fairbank', 'Holloway', 'Kessler', 'Marchetti', 'Northcott', 'Pemberton', 'Quillan', 'Radcliffe', 'Stanhope', 'Thorne', 'Vance', 'Westbrook', 'Yardley', 'Ashdown', 'Blackwood', 'Corliss', 'Dunmore', 'Everly', 'Galloway', 'Hartigan', 'Iverson', 'Jessop', 'Kinsey', 'Lockhart'],
    folders: { rss: 'RSS Feeds', history: 'Conversation History', archive: 'Archive', deleted: 'Deleted Items', inbox: 'Inbox', junk: 'Junk Email' },
    userFolders: ['Newsletters', 'Vendors', 'Receipts', 'Project Updates', 'Team'],
    psDateStyle: 'us',
    companyWords: ['Northwind', 'Ridgeline', 'Bluefield', 'Summit', 'Harbor', 'Lakeshore', 'Prairie', 'Ironwood', 'Cedar', 'Granite'],
    newsletter: ['Your monthly product update', 'Spring webinar series: register now', 'Customer spotlight', 'What\'s new this quarter'],
  },
  {
    id: 'en-GB',
    officeCities: ['London', 'Manchester', 'Dublin', 'Amsterdam'],
    first: ['Alys', 'Rhys', 'Imogen', 'Callum', 'Freya', 'Ewan', 'Isla', 'Hamish', 'Tamsin', 'Rory', 'Niamh', 'Ciaran', 'Elspeth', 'Fergus', 'Harriet', 'Lachlan', 'Maisie', 'Oisin', 'Poppy', 'Seren'],
    last: ['Ashworth', 'Blenkinsop', 'Cartwright', 'Dunstable', 'Fenwick', 'Gilchrist', 'Hargreaves', 'Illingworth', 'Kettleby', 'Lytton', 'Moorcroft', 'Netherton', 'Ormerod', 'Pilkington', 'Rushworth', 'Sowerby', 'Thwaite', 'Underhill', 'Waddington', 'Yeadon'],
    folders: { rss: 'RSS Feeds', history: 'Conversation History', archive: 'Archive', deleted: 'Deleted Items', inbox: 'Inbox', junk: 'Junk Email' },
    userFolders: ['Newsletters', 'Suppliers', 'Invoices', 'Projects', 'Team'],
    psDateStyle: 'gb',
    companyWords: ['Thistle', 'Kestrel', 'Harrowgate', 'Fenmoor', 'Wexley', 'Brackenridge', 'Stonebridge', 'Larkfield'],
    newsletter: ['Your monthly update', 'Autumn events: book your place', 'Client stories', 'News from the team'],
  },
  {
    id: 'de-DE',
    officeCities: ['Munich', 'Hamburg', 'Berlin', 'Frankfurt am Main', 'Zurich'],
    first: ['Lukas', 'Anja', 'Jonas', 'Katrin', 'Felix', 'Miriam', 'Tobias', 'Svenja', 'Matthias', 'Ute', 'Niklas', 'Jana', 'Florian', 'Heike', 'Moritz', 'Wiebke', 'Sebastian', 'Lena', 'Kai', 'Frauke'],
    last: ['Brandauer', 'Dietzel', 'Eberlein', 'Falkenhain', 'Grünewald', 'Hollstein', 'Kaltenbach', 'Lindemayr', 'Mühlberg', 'Nussbaumer', 'Oberndorf', 'Pfeiffer', 'Reisinger', 'Schallmoser', 'Tannhäuser', 'Vogelsang', 'Weidinger', 'Zellner', 'Achterberg', 'Birkholz'],
    folders: { rss: 'RSS-Feeds', history: 'Unterhaltungsverlauf', archive: 'Archiv', deleted: 'Gelöschte Elemente', inbox: 'Posteingang', junk: 'Junk-E-Mail' },
    userFolders: ['Newsletter', 'Lieferanten', 'Rechnungen', 'Projekte', 'Team'],
    psDateStyle: 'de',
    companyWords: ['Alpenwerk', 'Nordlicht', 'Bergfeld', 'Eichenhof', 'Sonnenthal', 'Rheinblick', 'Falkenstein'],
    newsletter: ['Ihr monatliches Update', 'Webinar-Reihe: jetzt anmelden', 'Neuigkeiten aus dem Team', 'Kundenstimmen'],
  },
  {
    id: 'fr-FR',
    officeCities: ['Paris', 'Lyon', 'Montreal', 'Barcelona'],
    first: ['Camille', 'Mathis', 'Maëlle', 'Théo', 'Solène', 'Gaspard', 'Clémence', 'Baptiste', 'Inès', 'Lucien', 'Margaux', 'Valentin', 'Océane', 'Anatole', 'Léonie', 'Corentin', 'Apolline', 'Titouan', 'Romane', 'Aurélien'],
    last: ['Aubertin', 'Beauregard', 'Chastel', 'Delorme', 'Escoffier', 'Fontaine-Roux', 'Garnier', 'Hébrard', 'Lacombe', 'Marchal', 'Noirot', 'Perrichon', 'Quintard', 'Rivoire', 'Sauvageot', 'Thibaudeau', 'Vasseur', 'Villemin', 'Arnoux', 'Brossard'],
    folders: { rss: 'Flux RSS', history: 'Historique des conversations', archive: 'Archives', deleted: 'Éléments supprimés', inbox: 'Boîte de réception', junk: 'Courrier indésirable' },
    userFolders: ['Lettres d\'information', 'Fournisseurs', 'Factures', 'Projets', 'Équipe'],
    psDateStyle: 'fr',
    companyWords: ['Azurelle', 'Boisvert', 'Clairmont', 'Montaigu', 'Riveraine', 'Solenne', 'Verdier'],
    newsletter: ['Votre lettre mensuelle', 'Nos prochains webinaires', 'Témoignages clients', 'Les nouveautés du trimestre'],
  },
  {
    id: 'nl-NL',
    officeCities: ['Amsterdam', 'Rotterdam', 'Frankfurt am Main'],
    first: ['Daan', 'Sanne', 'Bram', 'Fleur', 'Joris', 'Lotte', 'Thijs', 'Anouk', 'Wouter', 'Ilse', 'Sem', 'Femke', 'Ruben', 'Marloes', 'Stijn', 'Eline'],
    last: ['Van Aalst', 'Bosschaert', 'De Graaff', 'Dijkhuizen', 'Hoogeveen', 'Kortekaas', 'Landstra', 'Meijerink', 'Oosterhout', 'Ploeger', 'Roodenburg', 'Schuurman', 'Terpstra', 'Veenstra', 'Wijnberg', 'Zandvliet'],
    folders: { rss: 'RSS-feeds', history: 'Gespreksgeschiedenis', archive: 'Archief', deleted: 'Verwijderde items', inbox: 'Postvak IN', junk: 'Ongewenste e-mail' },
    userFolders: ['Nieuwsbrieven', 'Leveranciers', 'Facturen', 'Projecten', 'Team'],
    psDateStyle: 'nl',
    companyWords: ['Duinzicht', 'Polderlicht', 'Waterkant', 'Molenwerf', 'Tulpendaal', 'Grachtzijde'],
    newsletter: ['Uw maandelijkse update', 'Webinarreeks: meld u aan', 'Klantverhalen', 'Nieuws van het team'],
  },
  {
    id: 'es-ES',
    officeCities: ['Madrid', 'Barcelona', 'Mexico City', 'Bogota'],
    first: ['Lucía', 'Hugo', 'Carmen', 'Álvaro', 'Nerea', 'Íñigo', 'Paloma', 'Rodrigo', 'Ainhoa', 'Gonzalo', 'Itziar', 'Sergio', 'Marta', 'Joaquín', 'Elena', 'Tomás'],
    last: ['Arrieta', 'Belmonte', 'Cifuentes', 'Domínguez-Rey', 'Echevarría', 'Figueroa', 'Garmendia', 'Huertas', 'Izquierdo', 'Lozano', 'Montalbán', 'Olabarría', 'Quiroga', 'Sandoval', 'Urquijo', 'Villalba'],
    folders: { rss: 'Fuentes RSS', history: 'Historial de conversaciones', archive: 'Archivo', deleted: 'Elementos eliminados', inbox: 'Bandeja de entrada', junk: 'Correo no deseado' },
    userFolders: ['Boletines', 'Proveedores', 'Facturas', 'Proyectos', 'Equipo'],
    psDateStyle: 'gb',
    companyWords: ['Alcazaba', 'Brisamar', 'Cordillera', 'Encinar', 'Miravalle', 'Solana'],
    newsletter: ['Tu boletín mensual', 'Próximos seminarios web', 'Historias de clientes', 'Novedades del trimestre'],
  },
  {
    id: 'pt-BR',
    officeCities: ['Sao Paulo', 'Rio de Janeiro', 'Buenos Aires', 'Lisbon'],
    first: ['Thiago', 'Larissa', 'Rafael', 'Beatriz', 'Gustavo', 'Mariana', 'Leandro', 'Camila', 'Vinícius', 'Juliana', 'Rodrigo', 'Fernanda', 'Caio', 'Letícia', 'Otávio', 'Renata'],
    last: ['Albuquerque', 'Bittencourt', 'Cavalcanti', 'Drummond', 'Esteves', 'Figueiredo', 'Guimarães', 'Holanda', 'Loureiro', 'Magalhães', 'Nogueira', 'Pacheco', 'Queiroz', 'Sampaio', 'Teixeira', 'Vasconcelos'],
    folders: { rss: 'Feeds RSS', history: 'Histórico de Conversa', archive: 'Arquivo Morto', deleted: 'Itens Excluídos', inbox: 'Caixa de Entrada', junk: 'Lixo Eletrônico' },
    userFolders: ['Boletins', 'Fornecedores', 'Notas Fiscais', 'Projetos', 'Equipe'],
    psDateStyle: 'gb',
    companyWords: ['Ipanema', 'Jacarandá', 'Mangueira', 'Serra Azul', 'Araucária', 'Cajueiro'],
    newsletter: ['Sua atualização mensal', 'Próximos webinars', 'Histórias de clientes', 'Novidades do trimestre'],
  },
];

/** ASCII-fold a name for a UPN: "Maëlle Grünewald" -> "maelle.grunewald" */
export function upnPart(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}
