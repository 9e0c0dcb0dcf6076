import { render } from 'preact'; render(<p>Sightline</p>, document.getElementById('app')!);
